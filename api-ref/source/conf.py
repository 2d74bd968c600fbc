# Sphinx configuration for the Block Storage API reference.

# The os-api-ref directives (rest_method, rest_parameters,
# rest_status_code, rest_expand_all) come from os_api_ref_ext.
extensions = ['os_api_ref_ext']

# Use the OpenStack docs theme when it is installed; otherwise fall back
# to Sphinx's default theme so the reference builds anywhere.
try:
    import openstackdocstheme  # noqa: F401
except ImportError:
    html_theme = 'alabaster'
else:
    extensions.append('openstackdocstheme')
    html_theme = 'openstackdocs'
    openstackdocs_repo_name = 'openstack/cinder'
    openstackdocs_bug_project = 'cinder'
    openstackdocs_use_storyboard = False
    # Keep the project name set below instead of reading it from a
    # setup.cfg, which this tree does not have.
    openstackdocs_auto_name = False
    # An API reference is not released by version: without this the
    # theme looks for a package version and warns when it finds none
    # (it only skips that automatically when the source directory sits
    # under "api-ref").
    openstackdocs_auto_version = False

project = 'Block Storage API Reference'
copyright = 'OpenStack Foundation and contributors'

# Canonical links point at the published site.
html_baseurl = 'https://developer.openstack.org/api-ref/block-storage/'
html_title = 'Block Storage API Reference'

# Every lint rule, not only the "compat" set a build runs by default: this
# reference is the extension's own and is kept clean of all of them.
os_api_ref_lint = {'select': ['all']}
