"""Editors' work on the catalogue: overrides (the column holds the editor's value,
the override remembers upstream's, and polls never change it) and the editor group's
permissions. The admin (catalog/admin/) is their interface."""
