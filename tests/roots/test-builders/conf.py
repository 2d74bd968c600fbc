extensions = ["os_api_ref_ext"]
project = "Builders"
author = "Test Author"
copyright = "2024, Test Author"
version = release = "1.0"
os_api_ref_min_microversion = "2.1"
os_api_ref_max_microversion = "2.5"
os_api_ref_release_microversions = {"2.3": "ocata"}
