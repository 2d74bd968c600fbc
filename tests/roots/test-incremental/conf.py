extensions = ["os_api_ref_ext"]
project = "Incremental"
# Every rule: the tests edit the tree into unused entries (F011) and
# undocumented sample keys (J003), which a build does not check by default.
os_api_ref_lint = {"select": ["all"]}
