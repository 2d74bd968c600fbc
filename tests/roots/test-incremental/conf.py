extensions = ["os_api_ref_ext"]
project = "Incremental"
