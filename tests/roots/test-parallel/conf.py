extensions = ["os_api_ref_ext"]
project = "Parallel"
os_api_ref_min_microversion = "2.1"
os_api_ref_max_microversion = "2.9"
# Every rule: the tree has an unused entry (F011), which a build does not
# check by default.
os_api_ref_lint = {"select": ["all"]}
