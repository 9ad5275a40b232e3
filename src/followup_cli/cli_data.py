"""Commands for data in and out: `import`, `export`, `calendar`, `search`, `backup`,
`restore`, `forget`."""

from __future__ import annotations
