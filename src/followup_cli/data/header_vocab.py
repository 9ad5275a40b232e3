"""Which column headers name which prospect field, product by product and language by language.

This is a table to extend: to teach import a new export, add a block ``"product lang"`` with
``field: Header, Header`` lines (an indented line continues the one above), and a test row in
``tests/data/test_vocabulary.py`` with that product's header row as it exports it. Headers are
compared ``columns.norm``-ed (case, accents, punctuation and spacing do not matter), so
``E-Mail-Adresse`` and ``e mail adresse`` are the same header.

When a file has two columns for one field, the one listed first wins (blocks are read in
order, ``common`` first; a header marked ``?`` ranks after every unmarked one, as a bare
"Title" does after "Job Title" and a mobile after the work phone); the other becomes a custom
field, except that a "Title" column that loses to a job title is the salutation (Outlook's
"Title" holds Mr., Dr.), and a further email or phone column stands in when the first is empty.
``salutation`` (Mr., Frau, Mme...) is kept as a custom field of that name, where templates
find it.

It imports nothing, so every reader and writer can share it.
"""

from __future__ import annotations

VOCABULARY: dict[str, str] = {
    # Our own export and the words spreadsheets use, in English first.
    "common en": """
name: full name, contact name, person name, contact, person, prospect
first_name: first name, firstname, given name, first, forename
middle_name: middle name, additional name
last_name: last name, lastname, family name, surname, last
email: email address, e mail, e mail address, e mail 1 value, email 1 value, email 1,
    person email, work email, primary email, business email
phone: phone, phone number, telephone, work phone, business phone, phone 1 value, person phone,
    mobile?, mobile phone?
company: company name, organization, organisation, organization name, organisation name,
    organization 1 name, account, account name, person organization, associated company
title: job title, position, role, organization title, organization 1 title, person job title,
    title?
salutation: salutation, name prefix, prefix, honorific
stage: lifecycle stage, deal stage, pipeline stage, lead status, status, deal status
value: deal value, amount, deal amount, opportunity amount
timezone: time zone, tz
tags: tag, labels, label, group membership, groups, person labels, categories
notes: note, description, comments, comment
linkedin: linkedin url, linkedin profile, linkedin profile url, profile url, url, person linkedin
country: country region, country code
channel: preferred channel
referred_by: referrer, referral
relationship: relationship level
birthday: birth date, date of birth, birthdate
anniversary: work anniversary
personal: personal details
do_not_contact: opted out
texts_ok: texts ok, text consent, sms consent, sms opt in, text messages ok
""",
    # HubSpot contacts export ("Export your records", knowledge.hubspot.com; the columns of a
    # portal's default contact view). An export is written in a language of its own (the
    # exports API's `language`: DE, EN, ES, FR, IT, NL, PT...), its columns the properties'
    # labels in it. HubSpot's German help names the properties "Vorname" and
    # "Lifecycle-Phase", its French help "Phase du cycle de vie" (tests/data/
    # test_vocabulary.py cites the pages), its Spanish, Portuguese and Italian help "Etapa del
    # ciclo de vida", "Fase do ciclo de vida", "Fase del ciclo di vita", and a HubSpot
    # partner's Spanish map "Nombre", "Número de teléfono", "Número de móvil"; the other
    # labels below are the UI's words, not checked against an export file in that language
    # (test_vocabulary.py says what was searched).
    "hubspot en": """
email: email
phone: phone number, mobile phone number?
company: company name
title: job title
stage: lifecycle stage, lead status
country: country region
""",
    "hubspot de": """
first_name: vorname
last_name: nachname
email: e mail
phone: telefonnummer, mobiltelefonnummer?
company: name des unternehmens, unternehmensname
title: berufsbezeichnung, jobtitel
stage: lifecycle phase, lebenszyklusphase, phase im lebenszyklus, lead status
""",
    "hubspot fr": """
first_name: prenom
last_name: nom
email: e mail, adresse e mail
phone: numero de telephone, numero de telephone portable?
company: nom de l entreprise
title: intitule du poste
stage: phase du cycle de vie, statut du lead
""",
    "hubspot es": """
first_name: nombre
last_name: apellidos, apellido
email: correo, correo electronico
phone: numero de telefono, numero de telefono movil?, numero de movil?
company: nombre de la empresa
title: cargo
stage: etapa del ciclo de vida, estado del lead
""",
    "hubspot pt": """
first_name: nome, primeiro nome
last_name: sobrenome, apelido
email: e mail, endereco de e mail
phone: numero de telefone, telefone celular?, telemovel?
company: nome da empresa
title: cargo, funcao
stage: fase do ciclo de vida, status do lead
""",
    "hubspot it": """
first_name: nome
last_name: cognome
email: e mail, indirizzo e mail
phone: numero di telefono, numero di cellulare?
company: nome azienda, nome dell azienda
title: qualifica, ruolo
stage: fase del ciclo di vita, stato del lead
""",
    "hubspot nl": """
first_name: voornaam
last_name: achternaam
email: e mail, e mailadres
phone: telefoonnummer, mobiel telefoonnummer?
company: bedrijfsnaam
title: functie, functietitel
stage: levenscyclusfase, leadstatus
""",
    # Salesforce reports ("Export a report", help.salesforce.com: "Details only" CSV). Contact
    # reports have Mailing* address columns and Mobile; lead reports say "Company / Account".
    # Data Loader and the API write field API names (FirstName, MAILINGCOUNTRY, MobilePhone).
    # A report in another language is headed with the fields' labels in it: the German,
    # French, Spanish, Portuguese, Italian and Dutch blocks below are the UI's labels, found
    # in no export or importer (test_vocabulary.py says what was searched).
    "salesforce en": """
company: company account, account name, company
phone: phone, mobile?, mobilephone?, business phone
country: mailing country, mailingcountry, country, billing country
title: title?
salutation: salutation
birthday: birthdate
notes: description
stage: lead status, stage, stagename
value: amount
email: email
""",
    "salesforce de": """
salutation: anrede
company: account name, accountname, firma
phone: telefon, mobiltelefon?, mobil?
country: land postanschrift, postanschrift land, land
title: titel?, position
birthday: geburtsdatum
notes: beschreibung
stage: lead status, phase
""",
    "salesforce fr": """
salutation: civilite
company: nom du compte, societe, entreprise
phone: telephone, mobile?, portable?
country: pays de correspondance, pays
title: titre?, fonction
birthday: date de naissance
notes: description
stage: statut du lead, etape
""",
    "salesforce es": """
salutation: saludo, tratamiento
company: nombre de la cuenta, compania, empresa
phone: telefono, movil?
country: pais de correo, pais
title: titulo?, puesto
birthday: fecha de nacimiento
notes: descripcion
stage: estado del candidato, etapa
""",
    "salesforce pt": """
salutation: saudacao, tratamento
company: nome da conta, empresa
phone: telefone, celular?
country: pais de correspondencia, pais
title: titulo?, cargo
birthday: data de nascimento
notes: descricao
stage: status do lead, fase
""",
    "salesforce it": """
salutation: saluto, titolo di cortesia
company: nome account, societa, azienda
phone: telefono, cellulare?
country: paese indirizzo postale, paese
title: titolo?, qualifica
birthday: data di nascita
notes: descrizione
stage: stato lead, fase
""",
    "salesforce nl": """
salutation: aanhef
company: accountnaam, bedrijf
phone: telefoon, mobiel?
country: land postadres, land
title: titel?, functie
birthday: geboortedatum
notes: beschrijving
stage: leadstatus, fase
""",
    # Pipedrive "Export data" of people: every column is "Person - <field>", and a person's
    # several emails and phones are "Person - Email - Work", "Person - Phone - Mobile"...
    # (the header row as public Pipedrive importers map it: "Person - Name", "Person -
    # Organization", "Person - Email - Work", "Person - Email - Home", "Person - Phone - Work",
    # "Person - Labels", "Person - Owner"). An export in another language translates the
    # entity and the field: German "Person - Vorname", "Person - Telefon - Büro", "Person -
    # E-Mail-Adresse - Privat"; French "Personne - Téléphone - Travail", "Personne - E-mail -
    # Domicile"; Spanish "Persona - Correo electrónico - Trabajo", "Persona - Teléfono - Otro";
    # Brazilian "Pessoa - E-mail - Trabalho", "Pessoa - Telefone - Celular", "Organização -
    # Nome", "Negócio - Etapa"; Italian "Persona - Telefono - Lavoro", "Persona -
    # Organizzazione" (as public code that reads such exports names them, the Spanish only
    # weakly: tests/data/test_vocabulary.py says which). Dutch ("Persoon - Naam") was found
    # in no export or importer: the UI's words, unchecked.
    "pipedrive en": """
name: person name
first_name: person first name
last_name: person last name
email: person email work, person email, person email home, person email other
phone: person phone work, person phone mobile?, person phone, person phone home, person phone other
company: person organization, organization name
title: person job title
tags: person labels, person label
stage: deal stage
value: deal value
""",
    "pipedrive de": """
name: person name
first_name: person vorname
last_name: person nachname
email: person e mail adresse buro, person e mail adresse privat,
    person e mail adresse sonstiger, person e mail
phone: person telefon buro, person telefon, person telefon mobil?, person telefon privat,
    person telefon sonstiger
company: person organisation
title: person position
tags: person label, person labels
""",
    "pipedrive fr": """
name: personne nom
first_name: personne prenom
email: personne e mail travail, personne e mail, personne e mail domicile, personne e mail autre
phone: personne telephone travail, personne telephone, personne telephone mobile?,
    personne telephone domicile, personne telephone autre
company: personne organisation
tags: personne etiquettes, personne etiquette
""",
    "pipedrive es": """
name: persona nombre
email: persona correo electronico trabajo, persona correo electronico
phone: persona telefono trabajo, persona telefono, persona telefono movil?,
    persona telefono otro
company: persona organizacion, organizacion nombre
tags: persona etiqueta, persona etiquetas
""",
    "pipedrive pt": """
name: pessoa nome
email: pessoa e mail trabalho, pessoa e mail, pessoa email work
phone: pessoa telefone trabalho, pessoa telefone, pessoa telefone celular?, pessoa phone work,
    pessoa celular?, pessoa phone mobile?
company: pessoa organizacao, organizacao nome
title: pessoa cargo
tags: pessoa etiqueta, pessoa etiquetas
stage: negocio etapa
value: negocio valor
""",
    "pipedrive it": """
name: persona nome
email: persona email lavoro, persona e mail lavoro, persona e mail, persona email casa,
    persona e mail casa, persona email altro, persona e mail altro
phone: persona telefono lavoro, persona telefono, persona telefono cellulare?,
    persona telefono casa
company: persona organizzazione
tags: persona etichetta, persona etichette
""",
    "pipedrive nl": """
name: persoon naam
email: persoon e mail werk, persoon e mail
phone: persoon telefoon werk, persoon telefoon mobiel?, persoon telefoon
company: persoon organisatie
tags: persoon label, persoon labels
""",
    # Zoho CRM module export (Setup > Data Administration > Export): Contacts and Leads.
    # "Designation" is a lead's job title; "Secondary Email" stays a custom field.
    "zoho en": """
company: account name, company
title: designation, title?
phone: phone, mobile?
country: mailing country, country
birthday: date of birth
notes: description
stage: lead status
tags: tag
""",
    # Close lead and contact exports (CSV, one row per lead or contact): snake_case columns;
    # Close's own API example exporter writes lead_name, contact_name, title, primary_email,
    # primary_phone (closeio's example scripts).
    "close en": """
name: contact name, primary contact name
company: display name, lead name
title: contact title, primary contact title
email: contact primary email, primary contact primary email, primary email
phone: contact primary phone, primary contact primary phone, primary phone
stage: status label
notes: description
""",
    # Copper people export: "Work Email", "Phone Number", "Details" (the person's notes);
    # Copper's export columns as a public schema note lists them: Name, Details, Email,
    # Phone Number, Phone Number Type, Tags, Owned By, Contact Type.
    "copper en": """
email: work email, personal email, other email
phone: phone number, work phone, mobile phone?
company: company
notes: details
tags: tags
linkedin: linkedin
""",
    # Google Contacts. New format (contacts.google.com, 2024 on): "E-mail 1 - Value",
    # "Phone 1 - Value" (several values in one cell joined by " ::: "), "Organization Name",
    # "Labels" ("* myContacts ::: ..."). Old format (Gmail, before 2024): "Given Name",
    # "Family Name", "Group Membership", "Organization 1 - Name", "E-mail 1 - Value". (Public
    # readers of these files use the same names: "Name Prefix", "Given Name", "Family Name",
    # "Organization Name", "Email 1 - Value", "Phone 1 - Value".)
    "google en": """
name: name
first_name: given name
middle_name: additional name
last_name: family name
salutation: name prefix
email: e mail 1 value, e mail 2 value
phone: phone 1 value, phone 2 value
company: organization name, organization 1 name
title: organization title, organization 1 title
country: address 1 country
tags: labels, group membership
""",
    # Apple: Contacts exports vCard (see ``vcard``); iCloud's CSV (via its web exporters) writes
    # Google-style "Email 1 - Value" headers.
    "apple en": """
email: email 1 value, email 2 value
phone: phone 1 value, phone 2 value
company: organization name
salutation: name prefix
""",
    # LinkedIn "Get a copy of your data" Connections.csv: a "Notes:" preamble, then
    # First Name, Last Name, URL, Email Address, Company, Position, Connected On.
    "linkedin en": """
linkedin: url
email: email address
company: company
title: position
""",
    # Outlook (classic and new) "Export to a file > Comma Separated Values": the column names
    # follow the language of the Outlook that wrote them. "Title" is the honorific there
    # (Mr., Dr.): it loses "title" to "Job Title" and so goes to salutation (``map_columns``).
    # English: Microsoft's "Create or edit .csv files to import into Outlook". German, French,
    # Spanish, Italian and Brazilian Portuguese: the Outlook header names Roundcube's CSV
    # importer reads (roundcube/roundcubemail, program/localization/*/csv2vcard.inc), where the
    # Spanish export keeps some English names ("E-mail Address", "Title", "Birthday").
    # German also as Open-Xchange's importer maps Outlook 2007's columns (Anrede, Land/Region
    # geschäftlich; open-xchange/appsuite-middleware, com.openexchange.importexport/importCSV/
    # outlook2007.de_DE.properties, GPL-2.0), and Dutch from there (outlook2007.nl_NL
    # .properties, and the Dutch header row of its CSVContactImporterTest). Spanish, both
    # Portuguese and Dutch also as Exchange's own contact importer reads Outlook's CSV in each
    # language (its OutlookCsvLanguageSelect table; a decompiled copy is public in
    # PiratesRE/exchange_diff, Microsoft.Exchange.Transport.Sync.Common/ImportContacts/): Brazil's
    # Tratamento, Sobrenome, Anotações, Datas especiais; Portugal's Título, Apelido, Outros
    # nomes/apelidos, Telemóvel, Endereço de correio electrónico, Data de nascimento (and
    # Aniversário, there the anniversary: see ``importer.FALLBACK``); the Dutch Categorieën and
    # Speciale datum. Every name below comes from one of these tables.
    "outlook en": """
title: job title
company: company
email: e mail address, e mail 2 address, e mail 3 address
phone: business phone, mobile phone?, business phone 2?, home phone, primary phone
country: business country region, home country region
tags: categories
birthday: birthday
anniversary: anniversary
notes: notes
""",
    "outlook de": """
salutation: anrede
first_name: vorname
middle_name: weitere vornamen
last_name: nachname
company: firma
title: position
email: e mail adresse, e mail 2 adresse, e mail 3 adresse
phone: telefon geschaftlich, mobiltelefon?, telefon geschaftlich 2?, telefon privat, haupttelefon
country: land region geschaftlich, land geschaftlich, land region privat, land privat
tags: kategorien
birthday: geburtstag
anniversary: jahrestag
notes: notizen
""",
    "outlook fr": """
salutation: titre
first_name: prenom
middle_name: deuxieme prenom
last_name: nom
company: societe
title: profession, fonction
email: adresse de messagerie, adresse de messagerie 2, adresse de messagerie 3
phone: telephone bureau, tel mobile?, telephone 2 bureau?, telephone domicile,
    telephone principal
country: pays region bureau, pays region domicile
tags: categories
birthday: anniversaire
anniversary: anniversaire de mariage ou fete
notes: notes
""",
    "outlook es": """
first_name: nombre
middle_name: segundo nombre
last_name: apellidos
company: organizacion
title: puesto
email: direccion de correo electronico, direccion de correo electronico 2,
    direccion del correo electronico 3
phone: telefono del trabajo, telefono movil?, particular, telefono principal
country: pais o region del trabajo, pais o region del domicilio
tags: categorias
notes: notas
""",
    "outlook pt": """
salutation: tratamento
first_name: primeiro nome
middle_name: nome do meio, segundo nome, outros nomes apelidos
last_name: ultimo nome, sobrenome, apelido
company: empresa
title: cargo
email: endereco de e mail, endereco de e mail 2, endereco de e mail 3, endereco de email 2,
    endereco de email 3, endereco de correio electronico, endereco do correio electronico 2,
    endereco do correio electronico 3
phone: fone comercial, telefone comercial, telefone da empresa, celular?, telefone celular?,
    telemovel?, fone comercial 2?, telefone comercial 2?, 2º telefone da empresa?,
    fone de casa, telefone residencial, telefone da residencia, fone primario,
    telefone principal
country: regiao pais comercial, regiao pais de casa, pais regiao da empresa,
    pais regiao de residencia, pais da residencia regiao
tags: categorias
birthday: data de nascimento, aniversario
anniversary: datas especiais
notes: notas, anotacoes
""",
    "outlook it": """
salutation: titolo
first_name: nome
middle_name: secondo nome
last_name: cognome
company: societa
title: qualifica, posizione
email: indirizzo e mail, indirizzo e mail 2, indirizzo e mail 3
phone: telefono di lavoro, telefono mobile?, telefono di lavoro 2?, telefono di casa,
    telefono principale
country: nazione regione di lavoro, nazione regione di casa
tags: categorie
birthday: compleanno
anniversary: anniversario
notes: note
""",
    "outlook nl": """
salutation: titel
first_name: voornaam
middle_name: middelste naam
last_name: achternaam
company: bedrijf
title: functie
email: e mailadres, e mailadres 2, e mailadres 3
phone: telefoon op werk, mobiele telefoon?, telefoon op werk 2?, telefoon thuis, hoofdtelefoon
country: land regio werk, land regio thuis
tags: categorien, categorieen
birthday: verjaardag
anniversary: speciale datum
notes: notities
""",
}

# Fields a column can go to that are not yet in the list above (our own export's columns).
OWN_COLUMNS = (
    "priority", "key_points", "competitors", "decision_makers", "pace", "cadence",
    "cadence_status", "cadence_anchor", "steps_done", "prev_step_at", "prev_step_due",
    "paused_until", "created_at", "updated_at", "id",
)  # fmt: skip

# Honorifics in seven languages: a title cell holding one of these is a salutation, never a
# job title (Outlook's "Title", a Salesforce "Salutation" typed into "Title").
_HONORIFIC_WORDS = (
    "mr mrs ms miss mx dr prof sir madam dame lord lady rev "  # en
    "herr frau fraulein hr fr "  # de
    "m mme mlle mlles mm monsieur madame mademoiselle me pr "  # fr
    "sr sra srta don dona senor senora senorita "  # es
    "exmo exma "  # pt (sr, sra as in es)
    "sig sigra signa signor signora signorina dott dottssa dottoressa ing avv "  # it
    "dhr mevr mevrouw meneer heer mej ir drs"  # nl
)
HONORIFICS = frozenset(_HONORIFIC_WORDS.split())
