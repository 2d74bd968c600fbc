"""Generate a synthetic, realistic OpenStack-style ``api-ref`` source tree.

The tree mimics the layout of the big OpenStack API references (nova,
cinder, ...): a single ``index.rst`` page that includes one ``.inc`` file per
resource, so that *one* HTML page holds every operation.  Everything is
derived from a seeded :class:`random.Random`, so a given ``--operations`` /
``--seed`` pair always produces byte-identical files.

Usage::

    python benchmarks/generate_tree.py --operations 250 --out /tmp/tree

The produced tree contains:

* ``conf.py`` -- the extension is read from the ``BENCH_EXTENSION``
  environment variable (default ``os_api_ref_ext``; a comma separated list is
  accepted), default alabaster theme, microversion range 2.1 - 2.90.
* ``index.rst`` -- title, ``.. rest_expand_all::`` and one ``.. include::``
  per resource.
* ``resource-XX.inc`` -- about ten operations each (list, create, show,
  update, delete, two actions and a sub-resource).
* ``parameters.yaml`` -- at least ``4 * N`` entries, sorted the way
  os-api-ref wants them (by ``in`` then case-insensitive name); every entry
  is referenced by at least one ``rest_parameters`` stanza.
* ``status.yaml`` -- the usual HTTP status descriptions.
* ``samples/*.json`` -- about ``2.8 * N`` request/response examples whose
  keys are exactly the documented body parameters of the stanza they
  illustrate (object typed parameters become nested objects).

The tree is meant to build with ``os_api_ref`` without a single warning.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MIN_MICRO = 1
MAX_MICRO = 90
OPS_PER_RESOURCE = 10
PARAMS_PER_OP = 4
SAMPLES_PER_OP = 2.8

NOUNS: list[tuple[str, str]] = [
    ("server", "servers"),
    ("volume", "volumes"),
    ("snapshot", "snapshots"),
    ("image", "images"),
    ("network", "networks"),
    ("port", "ports"),
    ("router", "routers"),
    ("flavor", "flavors"),
    ("keypair", "keypairs"),
    ("backup", "backups"),
    ("share", "shares"),
    ("cluster", "clusters"),
    ("node", "nodes"),
    ("stack", "stacks"),
    ("secret", "secrets"),
    ("container", "containers"),
    ("queue", "queues"),
    ("zone", "zones"),
    ("recordset", "recordsets"),
    ("pool", "pools"),
    ("listener", "listeners"),
    ("policy", "policies"),
    ("trunk", "trunks"),
    ("segment", "segments"),
    ("agent", "agents"),
    ("hypervisor", "hypervisors"),
    ("aggregate", "aggregates"),
    ("quota_class", "quota_classes"),
    ("service", "services"),
    ("endpoint", "endpoints"),
    ("domain", "domains"),
    ("group", "groups"),
    ("role", "roles"),
    ("credential", "credentials"),
    ("region", "regions"),
    ("allocation", "allocations"),
    ("workflow", "workflows"),
    ("execution", "executions"),
    ("trigger", "triggers"),
    ("alarm", "alarms"),
]

PREFIXES: list[str] = [
    "",
    "shared",
    "remote",
    "scheduled",
    "replicated",
    "virtual",
    "managed",
    "external",
    "legacy",
    "tenant",
]

# (singular, plural) of the sub-resource of each resource.
SUBS: list[tuple[str, str]] = [
    ("member", "members"),
    ("attachment", "attachments"),
    ("event", "events"),
    ("rule", "rules"),
    ("log_entry", "log_entries"),
    ("binding", "bindings"),
]

# Fields of a sub-resource object: (name, type).
SUB_FIELDS: list[tuple[str, str]] = [
    ("id", "string"),
    ("state", "string"),
    ("created_at", "string"),
    ("weight", "integer"),
    ("comment", "string"),
]

# (name, type, writable).  None of these may collide with the action,
# sub-resource or query-parameter key suffixes used below.
CORE_FIELDS: list[tuple[str, str, bool]] = [
    ("id", "string", False),
    ("name", "string", True),
    ("status", "string", False),
    ("created_at", "string", False),
    ("updated_at", "string", False),
]
EXTRA_FIELDS: list[tuple[str, str, bool]] = [
    ("description", "string", True),
    ("size", "integer", True),
    ("availability_zone", "string", True),
    ("user_id", "string", False),
    ("tenant_id", "string", False),
    ("tags", "array", True),
    ("is_public", "boolean", True),
    ("progress", "integer", False),
    ("fault_message", "string", False),
    ("host_name", "string", False),
    ("encrypted", "boolean", True),
    ("priority", "integer", True),
    ("ratio", "float", True),
    ("revision", "integer", False),
    ("display_order", "integer", True),
    ("admin_state_up", "boolean", True),
    ("source_type", "string", True),
    ("checksum", "string", False),
    ("disk_format", "string", True),
    ("mtu", "integer", True),
    ("ttl", "integer", True),
    ("email", "string", True),
    ("protocol", "string", True),
    ("protocol_port", "integer", True),
    ("weight_factor", "float", True),
    ("deleted", "boolean", False),
    ("deleted_at", "string", False),
    ("launched_at", "string", False),
    ("terminated_at", "string", False),
    ("power_state", "integer", False),
    ("task_state", "string", False),
    ("vm_mode", "string", True),
    ("bootable", "boolean", True),
    ("multiattach", "boolean", True),
    ("replication_status", "string", False),
    ("consistency_token", "string", False),
    ("migration_state", "string", False),
    ("owner_id", "string", False),
    ("visibility", "string", True),
    ("protected", "boolean", True),
    ("virtual_size", "integer", False),
    ("min_disk", "integer", True),
    ("min_ram", "integer", True),
    ("architecture", "string", True),
    ("kernel_id", "string", True),
    ("ramdisk_id", "string", True),
    ("access_ipv4", "string", True),
    ("access_ipv6", "string", True),
    ("config_drive", "string", True),
    ("key_name", "string", True),
    ("hostname_fqdn", "string", False),
    ("trusted_certs", "array", True),
    ("scope_type", "string", True),
    ("shard_key", "string", True),
    ("quota_bytes", "integer", True),
    ("extra_specs_hash", "string", False),
]

# (action key, [(child, type)]) -- actions answered by ``202`` and no body.
ACTIONS_A: list[tuple[str, list[tuple[str, str]]]] = [
    ("reset_status", [("status", "string")]),
    ("extend", [("new_size", "integer")]),
    ("lock", [("locked_reason", "string")]),
    ("migrate", [("host", "string"), ("block_migration", "boolean")]),
    ("rebuild", [("image_ref", "string"), ("preserve_ephemeral", "boolean")]),
    ("set_policy", [("policy_name", "string")]),
]

# (action key, [(child, type)], response key, [(child, type)]) -- actions
# answered by ``200`` and a body.
ACTIONS_B: list[tuple[str, list[tuple[str, str]], str, list[tuple[str, str]]]] = [
    (
        "get_console",
        [("type", "string")],
        "console",
        [("type", "string"), ("url", "string")],
    ),
    (
        "create_token",
        [("expires_in", "integer")],
        "token",
        [("token_id", "string"), ("expires_at", "string")],
    ),
    (
        "show_usage",
        [("window", "string")],
        "usage",
        [("total_hours", "float"), ("samples", "integer")],
    ),
    (
        "evacuate",
        [("target_host", "string"), ("force", "boolean")],
        "evacuation",
        [("admin_pass", "string")],
    ),
]

WORDS = [
    "resource",
    "request",
    "project",
    "tenant",
    "compute",
    "service",
    "operation",
    "cloud",
    "deployment",
    "administrator",
    "quota",
    "scheduler",
    "region",
    "instance",
    "volume",
    "network",
    "policy",
    "token",
    "value",
    "field",
    "state",
    "lifecycle",
    "response",
    "filter",
    "catalog",
    "endpoint",
    "identifier",
    "microversion",
]

DOC_LINKS = [
    ("API guide", "https://docs.example.org/api-guide/"),
    ("microversion history", "https://docs.example.org/api-guide/microversions"),
    ("the state machine", "https://docs.example.org/admin/states.html"),
    ("pagination", "https://docs.example.org/api-guide/paginate.html"),
    ("policy reference", "https://docs.example.org/configuration/policy.html"),
]

STATUS_CODES: list[tuple[int, list[tuple[str, str]]]] = [
    (200, [("default", "Request was successful.")]),
    (201, [("default", "Resource was created and is ready to use.")]),
    (
        202,
        [
            (
                "default",
                "Request was accepted for processing, but the "
                "processing has not been completed. A 202 response\n"
                "is typically used for asynchronous operations.",
            )
        ],
    ),
    (
        204,
        [("default", "The server has fulfilled the request by deleting the resource.")],
    ),
    (400, [("default", "Some content in the request was invalid.")]),
    (401, [("default", "User must authenticate before making a request.")]),
    (403, [("default", "Policy does not allow current user to do this operation.")]),
    (404, [("default", "The requested resource could not be found.")]),
    (
        409,
        [
            (
                "default",
                "This operation conflicted with another operation on this resource.",
            ),
            (
                "conflict_reason",
                "The resource is in a ``task_state`` that does "
                "not allow this operation,\nor the name is "
                "already used by another resource.",
            ),
        ],
    ),
    (
        413,
        [
            (
                "default",
                "The request is larger than the server is willing "
                "or able to process,\nor a quota would be exceeded.",
            )
        ],
    ),
    (
        429,
        [
            (
                "default",
                "The request was rate limited; retry after the "
                "delay given in the *Retry-After* header.",
            )
        ],
    ),
    (
        500,
        [
            (
                "default",
                "Something went wrong inside the service. This "
                "should not happen usually.\nIf it does happen, it "
                "means the server has experienced some serious\n"
                "problems.",
            )
        ],
    ),
    (
        503,
        [
            (
                "default",
                "Service is not available. This is mostly caused "
                "by service configuration errors which\nprevents "
                "the service from successful start up.",
            )
        ],
    ),
]

IN_ORDER = {"header": 0, "path": 1, "query": 2, "body": 3}


@dataclass
class Param:
    """One entry of ``parameters.yaml``."""

    key: str
    in_: str
    type_: str
    required: bool
    description: str
    min_version: str | None = None
    max_version: str | None = None


@dataclass
class BodyNode:
    """A documented body parameter and its documented children."""

    name: str
    key: str
    type_: str
    children: list[BodyNode] = field(default_factory=list)


@dataclass
class Stanza:
    """A ``rest_parameters`` stanza: displayed name -> parameter key."""

    plain: list[tuple[str, str]]  # header/path/query entries
    body: list[BodyNode]  # top-level body entries (with nested children)

    def entries(self) -> list[tuple[str, str]]:
        out = list(self.plain)

        def walk(nodes: Iterable[BodyNode]) -> None:
            for node in nodes:
                out.append((node.name, node.key))
                walk(node.children)

        walk(self.body)
        return out


@dataclass
class Operation:
    """One ``rest_method`` section."""

    title: str
    method: str
    url: str
    slug: str
    intro: str
    success: list[int]
    errors: list[str]
    request: Stanza
    response: Stanza | None
    has_request_body: bool
    has_response_body: bool
    min_version: str | None = None
    max_version: str | None = None
    variants: list[str] = field(default_factory=list)

    def sample_count(self) -> int:
        per = int(self.has_request_body) + int(self.has_response_body)
        return per * (1 + len(self.variants))


@dataclass
class Resource:
    """A resource: one ``.inc`` file."""

    index: int
    singular: str
    plural: str
    sub_singular: str
    sub_plural: str
    n_ops: int
    fields: list[tuple[str, str, bool]] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)

    @property
    def url_segment(self) -> str:
        return self.plural.replace("_", "-")

    @property
    def title(self) -> str:
        return self.plural.replace("_", " ").title()

    @property
    def title_singular(self) -> str:
        return self.singular.replace("_", " ").title()

    @property
    def words(self) -> str:
        return self.plural.replace("_", " ")

    @property
    def word(self) -> str:
        return self.singular.replace("_", " ")


class TreeGenerator:
    """Build the in-memory model of the tree, then write it out."""

    def __init__(self, operations: int, seed: int) -> None:
        if operations < 1:
            raise ValueError("--operations must be >= 1")
        self.n = operations
        self.rng = random.Random(seed)
        self.params: dict[str, Param] = {}
        self.resources: list[Resource] = []

    # -- helpers ---------------------------------------------------------
    def version(self, lo: int = MIN_MICRO + 1, hi: int = MAX_MICRO) -> str:
        return f"2.{self.rng.randint(lo, hi)}"

    def sentence(self, subject: str, nwords: int = 8) -> str:
        words = [self.rng.choice(WORDS) for _ in range(nwords)]
        return f"{subject} {' '.join(words)}."

    def describe(self, what: str, type_: str, rich: bool = True) -> str:
        """A multi-line reST description for a parameter."""
        rng = self.rng
        lines = [
            f"The {what}. This {type_} value is returned by the",
            f"``{what.split()[-1]}`` {rng.choice(WORDS)} and is *"
            f"{rng.choice(WORDS)}* for each {rng.choice(WORDS)}.",
        ]
        if rich and rng.random() < 0.5:
            text, url = rng.choice(DOC_LINKS)
            lines.append(f"See the `{text} <{url}>`__ for **more** details.")
        if rich and rng.random() < 0.25:
            lines.append("")
            lines.append("Possible values are:")
            lines.append("")
            for word in rng.sample(WORDS, 3):
                lines.append(
                    f"- ``{word.upper()}``: the {word} {rng.choice(WORDS)} is {rng.choice(WORDS)}."
                )
        if rich and rng.random() < 0.2:
            lines.append("")
            lines.append(f"If omitted, the default ``{rng.choice(WORDS)}`` is used.")
        return "\n".join(lines)

    def add_param(
        self,
        key: str,
        in_: str,
        type_: str,
        required: bool,
        what: str,
        versioned: bool = True,
    ) -> str:
        low = key.lower()
        if low in (k.lower() for k in self.params) and key not in self.params:
            raise AssertionError(f"case-insensitive clash for {key}")
        if key in self.params:
            return key
        param = Param(key, in_, type_, required, self.describe(what, type_))
        if versioned and in_ in ("body", "query"):
            roll = self.rng.random()
            if roll < 0.15:
                param.min_version = self.version(2, 80)
            elif roll < 0.19:
                param.max_version = self.version(10, 89)
        self.params[key] = param
        return key

    # -- model -----------------------------------------------------------
    def plan_resources(self) -> None:
        rng = self.rng
        plain = list(NOUNS)
        rng.shuffle(plain)
        combos: list[tuple[str, str]] = list(plain)
        for prefix in PREFIXES[1:]:
            block = [(f"{prefix}_{s}", f"{prefix}_{p}") for s, p in NOUNS]
            rng.shuffle(block)
            combos.extend(block)
        n_res = (self.n + OPS_PER_RESOURCE - 1) // OPS_PER_RESOURCE
        while len(combos) < n_res:  # absurdly large N: number them
            extra = len(combos)
            s, p = NOUNS[extra % len(NOUNS)]
            tag = f"v{extra // len(NOUNS)}"
            combos.append((f"{tag}_{s}", f"{tag}_{p}"))
        remaining = self.n
        for i in range(n_res):
            s, p = combos[i]
            sub_s, sub_p = SUBS[i % len(SUBS)]
            n_ops = min(OPS_PER_RESOURCE, remaining)
            remaining -= n_ops
            res = Resource(i + 1, s, p, sub_s, sub_p, n_ops)
            res.fields = list(CORE_FIELDS)
            self.resources.append(res)

    def shared_params(self) -> None:
        self.add_param(
            "X-Openstack-Request-Id",
            "header",
            "string",
            True,
            "request identifier of this call",
            versioned=False,
        )
        self.add_param(
            "OpenStack-API-Version",
            "header",
            "string",
            False,
            "requested microversion header",
            versioned=False,
        )
        self.add_param("project_id", "path", "string", True, "UUID of the project", versioned=False)
        self.add_param(
            "limit",
            "query",
            "integer",
            False,
            "maximum number of results",
            versioned=False,
        )
        self.add_param(
            "marker",
            "query",
            "string",
            False,
            "last-seen item identifier",
            versioned=False,
        )
        self.add_param(
            "sort_dir",
            "query",
            "string",
            False,
            "sort direction of results",
            versioned=False,
        )

    def grow_fields(self) -> None:
        """Add fields round-robin until the parameter budget is reached."""
        target = PARAMS_PER_OP * self.n - 6  # shared parameters
        pools = {}
        for res in self.resources:
            pool = list(EXTRA_FIELDS)
            self.rng.shuffle(pool)
            pools[res.index] = pool
        while True:
            total = sum(self._count_params(r) for r in self.resources)
            if total >= target:
                break
            grown = False
            for res in self.resources:
                if total >= target:
                    break
                if pools[res.index]:
                    before = self._count_params(res)
                    res.fields.append(pools[res.index].pop())
                    total += self._count_params(res) - before
                    grown = True
            if not grown:
                break

    def _count_params(self, res: Resource) -> int:
        """Parameters a resource will define (not counting shared ones)."""
        k = res.n_ops
        count = 0
        count += 2 if k >= 1 else 0  # plural array + object
        count += len(res.fields)  # response fields
        if k >= 1:
            count += 3  # sort_key, name + status query filters
        if k >= 2:
            count += 1  # Location header
        if k >= 3:
            count += 1  # id path
        if k >= 4:
            count += sum(1 for f in res.fields if f[2])  # update keys
        if k >= 6:
            a = ACTIONS_A[res.index % len(ACTIONS_A)]
            count += 1 + len(a[1])
        if k >= 7:
            b = ACTIONS_B[res.index % len(ACTIONS_B)]
            count += 2 + len(b[1]) + len(b[3])
        if k >= 8:
            count += 2 + len(SUB_FIELDS)
        if k >= 9:
            count += 1  # sub id path
        return count

    def build_operations(self) -> None:
        for res in self.resources:
            self._build_resource(res)

    def _errors(self, base: list[str]) -> list[str]:
        extra = [e for e in ("413", "429", "500", "503") if self.rng.random() < 0.15]
        codes = base + extra
        return sorted(codes, key=lambda c: int(c.split(":")[0]))

    def _build_resource(self, res: Resource) -> None:
        s, p = res.singular, res.plural
        base = f"/v2/{{project_id}}/{res.url_segment}"
        item = f"{base}/{{{s}_id}}"
        sub_seg = res.sub_plural.replace("_", "-")
        sub_id = f"{res.sub_singular}_id"
        ops: list[Operation] = []
        add = self.add_param

        # keys
        obj_key = add(s, "body", "object", True, f"{res.word} object", versioned=False)
        arr_key = add(p, "body", "array", True, f"list of {res.words}", versioned=False)
        field_keys: list[tuple[str, str, str, bool]] = []
        for name, type_, writable in res.fields:
            key = add(
                f"{s}_{name}",
                "body",
                type_,
                name in ("id", "name"),
                f"{name.replace('_', ' ')} of the {res.word}",
                versioned=name not in ("id", "name"),
            )
            field_keys.append((name, key, type_, writable))

        def full_fields() -> list[BodyNode]:
            return [BodyNode(n, k, t) for n, k, t, _ in field_keys]

        def header(name: str, key: str) -> tuple[str, str]:
            return (name, key)

        rid = header("X-Openstack-Request-Id", "X-Openstack-Request-Id")
        proj = ("project_id", "project_id")
        id_path = None
        if res.n_ops >= 3:
            id_path = (
                f"{s}_id",
                add(
                    f"{s}_id_path",
                    "path",
                    "string",
                    True,
                    f"UUID of the {res.word}",
                    versioned=False,
                ),
            )

        def op(**kw: Any) -> None:
            if len(ops) < res.n_ops:
                ops.append(Operation(**kw))

        # 1. list
        q = [
            ("limit", "limit"),
            ("marker", "marker"),
            (
                "sort_key",
                add(
                    f"{s}_sort_key",
                    "query",
                    "string",
                    False,
                    f"sort key for {res.words}",
                ),
            ),
            ("sort_dir", "sort_dir"),
            (
                "name",
                add(
                    f"{s}_name_query",
                    "query",
                    "string",
                    False,
                    f"name filter for {res.words}",
                ),
            ),
            (
                "status",
                add(
                    f"{s}_status_query",
                    "query",
                    "string",
                    False,
                    f"status filter for {res.words}",
                ),
            ),
        ]
        op(
            title=f"List {res.title}",
            method="GET",
            url=base,
            slug="list",
            intro=f"Lists {res.words} visible to the project.",
            success=[200],
            errors=self._errors(["400", "401", "403"]),
            request=Stanza([proj, *q], []),
            response=Stanza([rid], [BodyNode(p, arr_key, "array", full_fields())]),
            has_request_body=False,
            has_response_body=True,
        )
        # 2. create
        writable = [(n, k, t) for n, k, t, w in field_keys if w]
        loc = add(
            f"{s}_location",
            "header",
            "string",
            True,
            f"URL of the new {res.word}",
            versioned=False,
        )
        op(
            title=f"Create {res.title_singular}",
            method="POST",
            url=base,
            slug="create",
            intro=f"Creates a {res.word}.",
            success=[201],
            errors=self._errors(["400", "401", "403", "409: conflict_reason"]),
            request=Stanza(
                [proj],
                [
                    BodyNode(
                        s,
                        obj_key,
                        "object",
                        [BodyNode(n, k, t) for n, k, t in writable],
                    )
                ],
            ),
            response=Stanza(
                [("Location", loc), rid],
                [BodyNode(s, obj_key, "object", full_fields())],
            ),
            has_request_body=True,
            has_response_body=True,
        )
        # 3. show
        if id_path is not None:
            op(
                title=f"Show {res.title_singular} Details",
                method="GET",
                url=item,
                slug="show",
                intro=f"Shows details for a {res.word}.",
                success=[200],
                errors=self._errors(["401", "403", "404"]),
                request=Stanza([proj, id_path], []),
                response=Stanza([rid], [BodyNode(s, obj_key, "object", full_fields())]),
                has_request_body=False,
                has_response_body=True,
            )
        # 4. update
        if res.n_ops >= 4 and id_path is not None:
            upd = []
            for n, _k, t in writable:
                uk = add(
                    f"{s}_{n}_update",
                    "body",
                    t,
                    False,
                    f"new {n.replace('_', ' ')} of the {res.word}",
                )
                upd.append(BodyNode(n, uk, t))
            op(
                title=f"Update {res.title_singular}",
                method="PUT",
                url=item,
                slug="update",
                intro=f"Updates a {res.word}.",
                success=[200],
                errors=self._errors(["400", "401", "403", "404", "409: conflict_reason"]),
                request=Stanza([proj, id_path], [BodyNode(s, obj_key, "object", upd)]),
                response=Stanza([rid], [BodyNode(s, obj_key, "object", full_fields())]),
                has_request_body=True,
                has_response_body=True,
            )
        # 5. delete
        if id_path is not None:
            op(
                title=f"Delete {res.title_singular}",
                method="DELETE",
                url=item,
                slug="delete",
                intro=f"Deletes a {res.word}. Deletion is *asynchronous*.",
                success=[204],
                errors=self._errors(["401", "403", "404", "409: conflict_reason"]),
                request=Stanza([proj, id_path], []),
                response=None,
                has_request_body=False,
                has_response_body=False,
            )
        # 6. action A (202, no body)
        if res.n_ops >= 6 and id_path is not None:
            akey, children = ACTIONS_A[res.index % len(ACTIONS_A)]
            a_obj = add(f"{s}_{akey}", "body", "object", True, f"{akey} action", versioned=False)
            kids = [
                BodyNode(
                    c,
                    add(
                        f"{s}_{akey}_{c}",
                        "body",
                        t,
                        True,
                        f"{c.replace('_', ' ')} for the {akey} action",
                    ),
                    t,
                )
                for c, t in children
            ]
            op(
                title=f"{akey.replace('_', ' ').title()} {res.title_singular} ({akey} Action)",
                method="POST",
                url=f"{item}/action",
                slug=f"action-{akey}",
                intro=f"Runs the ``{akey}`` action on a {res.word}.",
                success=[202],
                errors=self._errors(["400", "401", "403", "404", "409: conflict_reason"]),
                request=Stanza([proj, id_path], [BodyNode(akey, a_obj, "object", kids)]),
                response=None,
                has_request_body=True,
                has_response_body=False,
            )
        # 7. action B (200 with body)
        if res.n_ops >= 7 and id_path is not None:
            bkey, req_kids, rkey, resp_kids = ACTIONS_B[res.index % len(ACTIONS_B)]
            b_obj = add(f"{s}_{bkey}", "body", "object", True, f"{bkey} action", versioned=False)
            r_obj = add(
                f"{s}_{rkey}",
                "body",
                "object",
                True,
                f"{rkey} returned by {bkey}",
                versioned=False,
            )
            rq = [
                BodyNode(
                    c,
                    add(
                        f"{s}_{bkey}_{c}",
                        "body",
                        t,
                        True,
                        f"{c.replace('_', ' ')} for the {bkey} action",
                    ),
                    t,
                )
                for c, t in req_kids
            ]
            rs = [
                BodyNode(
                    c,
                    add(
                        f"{s}_{rkey}_{c}",
                        "body",
                        t,
                        True,
                        f"{c.replace('_', ' ')} of the {rkey}",
                    ),
                    t,
                )
                for c, t in resp_kids
            ]
            op(
                title=f"{bkey.replace('_', ' ').title()} For {res.title_singular} ({bkey} Action)",
                method="POST",
                url=f"{item}/action",
                slug=f"action-{bkey}",
                intro=f"Runs the ``{bkey}`` action and returns a ``{rkey}``.",
                success=[200],
                errors=self._errors(["400", "401", "403", "404"]),
                request=Stanza([proj, id_path], [BodyNode(bkey, b_obj, "object", rq)]),
                response=Stanza([rid], [BodyNode(rkey, r_obj, "object", rs)]),
                has_request_body=True,
                has_response_body=True,
            )
        # 8-10. sub-resource
        sub_url = f"{item}/{sub_seg}"
        if res.n_ops >= 8 and id_path is not None:
            ss, sp = res.sub_singular, res.sub_plural
            sub_obj = add(
                f"{s}_{ss}",
                "body",
                "object",
                True,
                f"{ss.replace('_', ' ')} object",
                versioned=False,
            )
            sub_arr = add(
                f"{s}_{sp}",
                "body",
                "array",
                True,
                f"list of {sp.replace('_', ' ')}",
                versioned=False,
            )
            sub_fields = [
                (
                    n,
                    add(
                        f"{s}_{ss}_{n}",
                        "body",
                        t,
                        n == "id",
                        f"{n.replace('_', ' ')} of the {ss.replace('_', ' ')}",
                        versioned=n != "id",
                    ),
                    t,
                )
                for n, t in SUB_FIELDS
            ]

            def sub_nodes() -> list[BodyNode]:
                return [BodyNode(n, k, t) for n, k, t in sub_fields]

            sub_title = sp.replace("_", " ").title()
            sub_title_s = ss.replace("_", " ").title()
            op(
                title=f"List {res.title_singular} {sub_title}",
                method="GET",
                url=sub_url,
                slug=f"{sp}-list",
                intro=f"Lists the {sp.replace('_', ' ')} of a {res.word}.",
                success=[200],
                errors=self._errors(["401", "403", "404"]),
                request=Stanza([proj, id_path], []),
                response=Stanza([rid], [BodyNode(sp, sub_arr, "array", sub_nodes())]),
                has_request_body=False,
                has_response_body=True,
            )
            sub_id_path = (
                sub_id,
                add(
                    f"{s}_{ss}_id_path",
                    "path",
                    "string",
                    True,
                    f"UUID of the {ss.replace('_', ' ')}",
                    versioned=False,
                ),
            )
            if res.n_ops >= 9:
                op(
                    title=f"Show {res.title_singular} {sub_title_s}",
                    method="GET",
                    url=f"{sub_url}/{{{sub_id}}}",
                    slug=f"{sp}-show",
                    intro=f"Shows one {ss.replace('_', ' ')} of a {res.word}.",
                    success=[200],
                    errors=self._errors(["401", "403", "404"]),
                    request=Stanza([proj, id_path, sub_id_path], []),
                    response=Stanza([rid], [BodyNode(ss, sub_obj, "object", sub_nodes())]),
                    has_request_body=False,
                    has_response_body=True,
                )
                op(
                    title=f"Delete {res.title_singular} {sub_title_s}",
                    method="DELETE",
                    url=f"{sub_url}/{{{sub_id}}}",
                    slug=f"{sp}-delete",
                    intro=f"Removes one {ss.replace('_', ' ')} from a {res.word}.",
                    success=[204],
                    errors=self._errors(["401", "403", "404"]),
                    request=Stanza([proj, id_path, sub_id_path], []),
                    response=None,
                    has_request_body=False,
                    has_response_body=False,
                )

        # operation-level microversions
        for operation in ops:
            roll = self.rng.random()
            if roll < 0.15:
                operation.min_version = self.version(2, 60)
                operation.request.plain.insert(
                    0, ("OpenStack-API-Version", "OpenStack-API-Version")
                )
            elif roll < 0.22:
                operation.max_version = self.version(30, 89)
        res.operations = ops

    def add_variants(self) -> None:
        """Add versioned examples until about 2.8 samples per operation."""
        target = round(SAMPLES_PER_OP * self.n)
        ops = [
            o
            for r in self.resources
            for o in r.operations
            if o.has_request_body or o.has_response_body
        ]
        total = sum(o.sample_count() for o in ops)
        if not ops:
            return
        order = list(ops)
        self.rng.shuffle(order)
        i = 0
        stalled = 0
        while total < target and stalled < len(order):
            o = order[i % len(order)]
            i += 1
            per = int(o.has_request_body) + int(o.has_response_body)
            if len(o.variants) >= 4 or total + per > target + 1:
                stalled += 1
                continue
            stalled = 0
            lo = int(o.min_version.split(".")[1]) + 1 if o.min_version else 2
            hi = int(o.max_version.split(".")[1]) if o.max_version else 90
            choices = [f"2.{v}" for v in range(lo, hi + 1) if f"2.{v}" not in o.variants]
            if not choices:
                stalled += 1
                continue
            o.variants.append(self.rng.choice(choices))
            o.variants.sort(key=lambda v: int(v.split(".")[1]))
            total += per

    def used_keys(self) -> set[str]:
        keys: set[str] = set()
        for res in self.resources:
            for op in res.operations:
                for stanza in (op.request, op.response):
                    if stanza is not None:
                        keys.update(k for _n, k in stanza.entries())
        return keys

    def build(self) -> None:
        self.plan_resources()
        self.grow_fields()
        target = PARAMS_PER_OP * self.n
        while True:
            self.params = {}
            self.shared_params()
            self.build_operations()
            # Keys defined for operations that a short resource lacks.
            used = self.used_keys()
            for key in [k for k in self.params if k not in used]:
                del self.params[key]
            if len(self.params) >= target or not self._grow_one():
                break
        self.add_variants()

    def _grow_one(self) -> bool:
        """Give one more field to the resource with the fewest fields."""
        taken = {r.index: {f[0] for f in r.fields} for r in self.resources}
        for res in sorted(self.resources, key=lambda r: len(r.fields)):
            free = [f for f in EXTRA_FIELDS if f[0] not in taken[res.index]]
            if free:
                res.fields.append(free[0])
                return True
        return False

    # -- writing ---------------------------------------------------------
    def sample_value(self, node: BodyNode, variant: int) -> Any:
        if node.type_ == "object":
            return {c.name: self.sample_value(c, variant) for c in node.children}
        if node.type_ == "array":
            if node.children:
                return [{c.name: self.sample_value(c, variant) for c in node.children}]
            return [f"{node.name}-{self.rng.randint(1, 99)}"]
        if node.type_ == "integer":
            return self.rng.randint(0, 4096) + variant
        if node.type_ == "float":
            return round(self.rng.random() * 100, 2)
        if node.type_ == "boolean":
            return self.rng.random() < 0.5
        if node.name.endswith("_at"):
            return (
                f"2024-0{self.rng.randint(1, 9)}-1{variant}T10:2{variant}"
                f":{self.rng.randint(10, 59)}Z"
            )
        if node.name.endswith("id"):
            bits = self.rng.getrandbits(128)
            h = f"{bits:032x}"
            return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
        return f"{node.name.replace('_', '-')}-{self.rng.randint(1, 999)}"

    def sample(self, stanza: Stanza, variant: int) -> str:
        doc = {n.name: self.sample_value(n, variant) for n in stanza.body}
        return json.dumps(doc, indent=4) + "\n"

    @staticmethod
    def heading(text: str, char: str) -> str:
        return f"{text}\n{char * len(text)}\n"

    @staticmethod
    def stanza_rst(stanza: Stanza) -> str:
        lines = [".. rest_parameters:: parameters.yaml", ""]
        lines += [f"   - {name}: {key}" for name, key in stanza.entries()]
        return "\n".join(lines) + "\n"

    def write_inc(self, res: Resource, samples: Path) -> str:
        out: list[str] = [".. -*- rst -*-\n"]
        title = f"{res.title} ({res.url_segment})"
        bar = "=" * (len(title) + 2)
        out.append(f"{bar}\n {title}\n{bar}\n")
        out.append(
            f"Lists, creates, shows details for, updates, and deletes "
            f"{res.words}.\nA *{res.word}* belongs to exactly one "
            f"project; see ``{res.singular}_id``.\n"
        )
        for op in res.operations:
            out.append(self.heading(op.title, "="))
            method = [f".. rest_method:: {op.method} {op.url}"]
            extras = []
            if op.min_version:
                extras.append(f"   min_version: {op.min_version}")
            if op.max_version:
                extras.append(f"   max_version: {op.max_version}")
            if extras:
                method += [""] + extras
            out.append("\n".join(method) + "\n")
            para = [
                op.intro,
                self.sentence(f"The ``{op.method}`` call on this resource touches the", 10),
                f"Normal response codes are listed below; *policy* may "
                f"restrict this call (see ``{res.singular}:{op.slug}``).",
            ]
            out.append("\n".join(para) + "\n")
            out.append(self.heading("Response codes", "-"))
            out.append(
                ".. rest_status_code:: success status.yaml\n\n"
                + "".join(f"   - {c}\n" for c in op.success)
            )
            out.append(
                ".. rest_status_code:: error status.yaml\n\n"
                + "".join(f"   - {c}\n" for c in op.errors)
            )
            out.append(self.heading("Request", "-"))
            out.append(self.stanza_rst(op.request))
            versions: list[tuple[str, str]] = [("", "")]
            versions += [(f" (v{v})", f"-v{v}") for v in op.variants]
            if op.has_request_body:
                for vi, (label, suffix) in enumerate(versions):
                    name = f"{res.url_segment}-{op.slug}-req{suffix}.json"
                    (samples / name).write_text(self.sample(op.request, vi))
                    out.append(self.heading(f"Request Example{label}", "-"))
                    out.append(f".. literalinclude:: samples/{name}\n   :language: javascript\n")
            if op.response is not None:
                out.append(self.heading("Response Parameters", "-"))
                out.append(self.stanza_rst(op.response))
            else:
                out.append(self.heading("Response", "-"))
                out.append(
                    "If successful, this method does not return content in the response body.\n"
                )
            if op.has_response_body and op.response is not None:
                for vi, (label, suffix) in enumerate(versions):
                    name = f"{res.url_segment}-{op.slug}-resp{suffix}.json"
                    (samples / name).write_text(self.sample(op.response, vi))
                    out.append(self.heading(f"Response Example{label}", "-"))
                    out.append(f".. literalinclude:: samples/{name}\n   :language: javascript\n")
        return "\n".join(out)

    def parameters_yaml(self) -> str:
        out: list[str] = ["# variables in header"]
        current = "header"
        ordered = sorted(self.params.values(), key=lambda p: (IN_ORDER[p.in_], p.key.lower()))
        for p in ordered:
            if p.in_ != current:
                current = p.in_
                out.append("")
                out.append(f"# variables in {current}")
            out.append(f"{p.key}:")
            out.append("  description: |")
            out += [f"    {line}" if line else "" for line in p.description.split("\n")]
            out.append(f"  in: {p.in_}")
            if p.max_version:
                out.append(f"  max_version: {p.max_version}")
            if p.min_version:
                out.append(f"  min_version: {p.min_version}")
            out.append(f"  required: {'true' if p.required else 'false'}")
            out.append(f"  type: {p.type_}")
        return "\n".join(out) + "\n"

    @staticmethod
    def status_yaml() -> str:
        out: list[str] = []
        for code, entries in STATUS_CODES:
            out.append(f"{code}:")
            for key, text in entries:
                out.append(f"  {key}: |")
                out += [f"    {line}" for line in text.split("\n")]
        return "\n".join(out) + "\n"

    def conf_py(self) -> str:
        return f'''"""Sphinx configuration of a generated benchmark api-ref tree."""

import os

extensions = [
    name.strip()
    for name in os.environ.get("BENCH_EXTENSION", "os_api_ref_ext").split(",")
    if name.strip()
]

project = "Benchmark Cloud API ({self.n} operations)"
copyright = "2024, benchmark generator"
html_theme = "alabaster"
templates_path = []
exclude_patterns = []
pygments_style = "sphinx"

os_api_ref_min_microversion = "2.{MIN_MICRO}"
os_api_ref_max_microversion = "2.{MAX_MICRO}"
'''

    def index_rst(self) -> str:
        title = "Benchmark Cloud API"
        bar = "=" * (len(title) + 2)
        lines = [
            ":tocdepth: 2",
            "",
            bar,
            f" {title}",
            bar,
            "",
            ".. rest_expand_all::",
            "",
            f"This reference documents {self.n} operations of a fictional cloud service.",
            "All requests need a ``X-Auth-Token`` header; see the *API guide*.",
            "",
        ]
        lines += [f".. include:: resource-{r.index:02d}.inc" for r in self.resources]
        return "\n".join(lines) + "\n"

    def write(self, out: Path) -> dict[str, Any]:
        if out.exists():
            shutil.rmtree(out)
        samples = out / "samples"
        samples.mkdir(parents=True)
        (out / "conf.py").write_text(self.conf_py())
        (out / "index.rst").write_text(self.index_rst())
        (out / "parameters.yaml").write_text(self.parameters_yaml())
        (out / "status.yaml").write_text(self.status_yaml())
        for res in self.resources:
            (out / f"resource-{res.index:02d}.inc").write_text(self.write_inc(res, samples))
        first = self.resources[0]
        return {
            "operations": sum(len(r.operations) for r in self.resources),
            "resources": len(self.resources),
            "parameters": len(self.params),
            "samples": len(list(samples.iterdir())),
            "inc_files": [f"resource-{r.index:02d}.inc" for r in self.resources],
            # A body parameter shown in the first resource: run.py edits it.
            "edit_key": f"{first.singular}_name",
        }


def _flat_keys(value: Any) -> set[str]:
    keys: set[str] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            keys.add(k)
            keys |= _flat_keys(v)
    elif isinstance(value, list):
        for v in value:
            keys |= _flat_keys(v)
    return keys


def check_tree(root: Path) -> list[str]:
    """Re-read a generated tree and return every broken invariant.

    Checks: ``parameters.yaml`` order, every entry used, every referenced
    key and status code defined, every URL path parameter listed in the
    request stanza, and every sample holding exactly the documented body
    keys of its stanza.
    """
    import yaml  # only needed for checking

    root = Path(root)
    problems: list[str] = []
    params = yaml.safe_load((root / "parameters.yaml").read_text())
    status = yaml.safe_load((root / "status.yaml").read_text())
    order = [(IN_ORDER[v["in"]], k.lower()) for k, v in params.items()]
    if order != sorted(order):
        problems.append("parameters.yaml is not sorted")
    used: set[str] = set()
    for inc in sorted(root.glob("*.inc")):
        lines = inc.read_text().split("\n")
        url = ""
        heading = ""
        stanzas: dict[str, list[tuple[str, str]]] = {}
        for i, line in enumerate(lines):
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if line and nxt and set(nxt) in ({"-"}, {"="}) and len(nxt) >= len(line):
                heading = line
            where = f"{inc.name}:{i + 1}"
            if line.startswith(".. rest_method::"):
                url = line.split()[-1]
                stanzas = {}
            elif line.startswith(".. rest_parameters::"):
                entries = []
                for item in lines[i + 2 :]:
                    if not item.startswith("   - "):
                        break
                    name, key = item[5:].split(": ")
                    entries.append((name, key))
                    used.add(key)
                    if key not in params:
                        problems.append(f"{where}: undefined key {key}")
                stanzas[heading] = entries
                if heading == "Request":
                    names = {n for n, _k in entries}
                    for part in url.split("/"):
                        if part.startswith("{") and part[1:-1] not in names:
                            problems.append(f"{where}: path {part} missing")
            elif line.startswith(".. rest_status_code::"):
                for item in lines[i + 2 :]:
                    if not item.startswith("   - "):
                        break
                    code, _, reason = item[5:].partition(": ")
                    if int(code) not in status or (reason and reason not in status[int(code)]):
                        problems.append(f"{where}: unknown status {item}")
            elif line.startswith(".. literalinclude::"):
                sample = root / line.split()[-1]
                kind = "Request" if heading.startswith("Request") else ("Response Parameters")
                documented = {
                    n for n, k in stanzas.get(kind, []) if params.get(k, {}).get("in") == "body"
                }
                found = _flat_keys(json.loads(sample.read_text()))
                if found != documented:
                    problems.append(
                        f"{where}: {sample.name} keys differ: "
                        f"extra {sorted(found - documented)}, "
                        f"missing {sorted(documented - found)}"
                    )
    unused = sorted(set(params) - used)
    if unused:
        problems.append(f"{len(unused)} unused parameters, e.g. {unused[:5]}")
    return problems


def generate(operations: int, out: Path, seed: int = 0) -> dict[str, Any]:
    """Write a tree with ``operations`` operations into ``out``.

    Returns a summary: counts, the ``.inc`` file names and ``edit_key`` (a
    ``parameters.yaml`` key whose description is rendered in the HTML).
    """
    gen = TreeGenerator(operations, seed)
    gen.build()
    return gen.write(Path(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--operations",
        "-n",
        type=int,
        required=True,
        help="number of REST operations to generate",
    )
    parser.add_argument("--out", "-o", type=Path, required=True, help="directory to (re)create")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="re-read the written tree and verify its invariants",
    )
    args = parser.parse_args(argv)
    info = generate(args.operations, args.out, args.seed)
    print(
        f"wrote {args.out}: {info['operations']} operations in "
        f"{info['resources']} .inc files, {info['parameters']} parameters, "
        f"{info['samples']} samples"
    )
    if args.check:
        problems = check_tree(args.out)
        for problem in problems:
            print(f"problem: {problem}", file=sys.stderr)
        print(f"check: {len(problems)} problems")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
