# Whole-tree lint rules over several documents sharing one parameters file:
# F011 (unused entry) and O003 (duplicate operation) need every document.
extensions = ["os_api_ref_ext"]
project = "Lint tree"
# F011 is in the "recommended" set and O003 in "all": neither runs by default.
os_api_ref_lint = {"select": ["F011", "O003"]}
