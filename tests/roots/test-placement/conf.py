extensions = ["os_api_ref_ext"]
project = "Placement"
os_api_ref_min_microversion = "2.1"
os_api_ref_max_microversion = "2.9"
os_api_ref_lint = {"select": ["recommended"]}
