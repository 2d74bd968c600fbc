# Whole-tree lint rules over several documents sharing one parameters file:
# F011 (unused entry) and O003 (duplicate operation) need every document.
extensions = ["os_api_ref_ext"]
project = "Lint tree"
