"""Write the test-parallel root: an index and 22 API pages.

Run ``python tests/roots/test-parallel/generate.py`` after changing this
script and commit what it writes.  Every page has two operations, a
request sample and a parameter entry of its own (``widgetNN_colour``), so
an entry is reported unused (F011) whenever the documents read by the
parallel workers are not merged back.  ``retired_flag`` is used by no page:
the one finding every build must report.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).parent
PAGES = 22

CONF = """\
extensions = ["os_api_ref_ext"]
project = "Parallel"
os_api_ref_min_microversion = "2.1"
os_api_ref_max_microversion = "2.9"
"""

INDEX = """\
============
Parallel API
============

.. rest_expand_all::

.. toctree::
   :maxdepth: 1

{entries}
"""

PAGE = """\
.. -*- rst -*-

==========
Widgets {n}
==========

Widgets of group {n} hold *{n}* things.

List widgets {n}
===============

.. rest_method:: GET /v2/{{project_id}}/widgets{n}

Lists the widgets of group {n}.

Response codes
--------------

.. rest_status_code:: success status.yaml

   - 200

.. rest_status_code:: error status.yaml

   - 401
   - 404

Request
-------

.. rest_parameters:: parameters.yaml

   - project_id: project_id
   - limit: limit

Create widget {n}
================

.. rest_method:: POST /v2/{{project_id}}/widgets{n}
   min_version: 2.{minor}

Creates a widget in group {n}.

Response codes
--------------

.. rest_status_code:: success status.yaml

   - 202

.. rest_status_code:: error status.yaml

   - 400
   - 409: widget_conflict

Request
-------

.. rest_parameters:: parameters.yaml

   - project_id: project_id
   - widget: widget
   - name: widget_name
   - colour: widget{n}_colour

Request Example
---------------

.. literalinclude:: samples/widget{n}-create-request.json
   :language: javascript
"""

PARAMETERS_HEAD = """\
project_id:
  description: |
    The UUID of the project.
  in: path
  required: true
  type: string
limit:
  description: |
    At most this many widgets; the server may return fewer.
  in: query
  required: false
  type: integer
retired_flag:
  description: |
    No longer used.
  in: body
  required: false
  type: boolean
widget:
  description: |
    A ``widget`` object.
  in: body
  required: true
  type: object
"""

COLOUR = """\
widget{n}_colour:
  description: |
    The colour of a group {n} widget [#]_.

    .. [#] Any CSS colour name.
  in: body
  required: false
  type: string
  min_version: 2.{minor}
"""

NAME = """\
widget_name:
  description: |
    The widget name.
  in: body
  required: true
  type: string
"""

STATUS = """\
200:
  default: Request succeeded.
202:
  default: Request accepted.
400:
  default: Some content in the request was invalid.
401:
  default: The request needs a valid token.
404:
  default: The widget group does not exist.
409:
  default: Conflict.
  widget_conflict: A widget with this name already exists.
"""


def main() -> None:
    numbers = [f"{index:02d}" for index in range(PAGES)]
    (ROOT / "samples").mkdir(exist_ok=True)
    (ROOT / "conf.py").write_text(CONF)
    (ROOT / "index.rst").write_text(
        INDEX.format(entries="\n".join(f"   widgets{n}" for n in numbers))
    )
    (ROOT / "status.yaml").write_text(STATUS)
    colours = "".join(COLOUR.format(n=n, minor=int(n) % 9 + 1) for n in numbers)
    (ROOT / "parameters.yaml").write_text(PARAMETERS_HEAD + colours + NAME)
    for n in numbers:
        minor = int(n) % 9 + 1
        (ROOT / f"widgets{n}.rst").write_text(PAGE.format(n=n, minor=minor))
        sample = {"widget": {"name": f"widget-{n}", "colour": "teal"}}
        (ROOT / "samples" / f"widget{n}-create-request.json").write_text(
            json.dumps(sample, indent=4) + "\n"
        )


if __name__ == "__main__":
    main()
