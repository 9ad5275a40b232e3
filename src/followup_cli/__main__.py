from followup_cli.main import main

main()
