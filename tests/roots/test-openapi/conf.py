extensions = ['os_api_ref_ext']
project = 'Gizmo API'
release = '1.4'
os_api_ref_openapi = {
    'servers': [{'url': 'https://gizmo.example.org'}],
    'info': {'summary': 'Gizmos and their parts.'},
}
