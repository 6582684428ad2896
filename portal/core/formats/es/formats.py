# Number formats as the source document writes them (2,781,145; 43.0 %),
# which is also the usage of Peru's INEI publications.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
DATE_FORMAT = r"j \d\e F \d\e Y"
# A moment in what editors read (history, conflicts, a scheduled publication): 7 dic. 2026, 09:00, in Lima time
SHORT_DATE_FORMAT = "j N Y"
SHORT_DATETIME_FORMAT = "j N Y, H:i"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT  # the admin's read-only times («Creada», «Actualizada») too
