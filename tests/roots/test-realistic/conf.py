extensions = ["os_api_ref_ext"]
project = "Compute API"
os_api_ref_min_microversion = "2.1"
os_api_ref_max_microversion = "2.12"
os_api_ref_release_microversions = {"2.1": "kilo", "2.12": "liberty"}
