"""The attribute schema: the one table of attribute names, types, defaults, docs and pytm names.

Validation, the language reference (docs/language.md), LSP completion, lint rules and the pytm
adapter all read this table; nothing else lists attribute names.

`pytm` names the pytm field an attribute maps to: `isPII` on the element, `controls.isEncrypted`
on the element's controls, or None for facts only tmdiag reads (cloud control plane, risk).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, replace
from typing import Any

from tmdiag.model.levels import RiskLevel, Status

# Value types. `enum` checks `values`; `ref`/`refs` name what they point to in `ref`.
BOOL, INT, STR, ENUM, DATE, DURATION, REF, REFS, STRS, TLS, INGRESS, PORT, ICON, IDS, ADDRESSES = (
    "bool", "int", "string", "enum", "date", "duration", "ref", "refs", "strings", "tls",
    "ingress", "port", "icon", "threat_ids", "addresses",
)  # fmt: skip

CLASSIFICATIONS = ("unknown", "public", "restricted", "sensitive", "secret", "top_secret")
TRUST_LEVELS = ("untrusted", "low", "medium", "high", "full")
LEVELS = tuple(level.value for level in RiskLevel)  # info … critical
TLS_VERSIONS = ("none", "ssl3", "1.0", "1.1", "1.2", "1.3")
LIFETIMES = ("none", "unknown", "short", "long", "auto", "manual", "hardcoded")
ROLES = (
    "security_lead", "security", "developer", "architect", "sre", "operations", "devops",
    "business_owner", "product_owner", "qa", "compliance", "legal", "privacy", "data_owner",
)  # fmt: skip
DECISIONS = tuple(status.value for status in Status)
# Kinds of `control` (tmdiag/model/facts.py says what each closes or lowers); `other` does nothing itself.
CONTROL_KINDS = (
    "input_validation", "output_encoding", "waf", "mfa", "audit_log", "access_control", "authentication",
    "least_privilege", "hardening", "rate_limiting", "ddos_protection", "encryption_in_transit",
    "encryption_at_rest", "session_management", "csrf_protection", "secrets_management", "dlp",
    "content_filtering", "code_signing", "other",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Attr:
    name: str
    type: str
    doc: str
    default: Any = None
    values: tuple[str, ...] = ()
    ref: str | None = None  # data | member | control | boundary | element | flow | agent | scope | kind
    pytm: str | None = None
    required: bool = False
    example: str | None = None
    aliases: tuple[str, ...] = ()  # other names it may be written under (one attribute: giving two is E204)


def _b(name: str, doc: str, pytm: str | None = None, default: bool = False) -> Attr:
    return Attr(name, BOOL, doc, default, pytm=pytm)


def _c(name: str, control: str, doc: str) -> Attr:
    return Attr(name, BOOL, doc, False, pytm=f"controls.{control}")


def _aliased(group: tuple[Attr, ...], name: str, doc: str, *aliases: str) -> tuple[Attr, ...]:
    """`group` with attribute `name` documented for this kind and also written as `aliases`."""
    return tuple(replace(a, doc=doc, aliases=aliases) if a.name == name else a for a in group)


# ---- shared groups -----------------------------------------------------------------------

COMMON = (
    Attr("description", STR, "What the element is and does.", "", pytm="description"),
    Attr("in_scope", BOOL, "Is the element in scope of this threat model?", True, pytm="inScope"),
    Attr(
        "max_classification",
        ENUM,
        "Highest data classification it may handle.",
        "unknown",
        CLASSIFICATIONS,
        pytm="maxClassification",
    ),
    Attr("min_tls", TLS, "Lowest TLS version it accepts.", "none", TLS_VERSIONS, pytm="minTLSVersion", example="1.2"),
    Attr("source_files", STRS, "Where its code lives, relative to the model.", (), pytm="sourceFiles"),
    Attr("impact", ENUM, "Impact if it is compromised (feeds the risk score).", None, LEVELS),
    Attr("owner", REF, "Team member who owns it.", None, ref="member"),
    Attr("icon", ICON, "Provider icon for cloud diagrams, e.g. `aws.ec2`, `k8s.pod`.", None, example="aws.ec2"),
    Attr("tags", STRS, "Free-form labels.", ()),
)

CONTROLS = (
    _c("authenticates_destination", "authenticatesDestination", "Verifies the identity of what it talks to."),
    _c("authenticates_source", "authenticatesSource", "Verifies the identity of who talks to it."),
    Attr(
        "authentication_scheme",
        STR,
        "Name of the authentication scheme (e.g. OIDC).",
        "",
        pytm="controls.authenticationScheme",
    ),
    _c("authorizes_source", "authorizesSource", "Checks what the caller may do."),
    _c("checks_destination_revocation", "checksDestinationRevocation", "Checks certificate revocation."),
    _c("checks_input_bounds", "checksInputBounds", "Bounds-checks its input."),
    _c("defines_connection_timeout", "definesConnectionTimeout", "Sets connection timeouts."),
    _c("disables_dtd", "disablesDTD", "Disables XML DTD processing."),
    _c("disables_iframes", "disablesiFrames", "Forbids being framed."),
    _c("encodes_headers", "encodesHeaders", "Encodes HTTP headers."),
    _c("encodes_output", "encodesOutput", "Encodes output for its context."),
    _c("encrypts_cookies", "encryptsCookies", "Encrypts cookies."),
    _c("encrypts_session_data", "encryptsSessionData", "Encrypts session data."),
    _c("handles_crashes", "handlesCrashes", "Fails safely."),
    _c("handles_interruptions", "handlesInterruptions", "Survives interruptions."),
    _c("handles_resource_consumption", "handlesResourceConsumption", "Limits resource use."),
    _c("access_control", "hasAccessControl", "Enforces access control."),
    _c("implements_authentication_scheme", "implementsAuthenticationScheme", "Implements authentication."),
    _c("csrf_token", "implementsCSRFToken", "Uses CSRF tokens."),
    _c("nonce", "implementsNonce", "Uses nonces against replay."),
    _c("least_privilege", "implementsPOLP", "Runs with least privilege."),
    _c("server_side_validation", "implementsServerSideValidation", "Validates on the server side."),
    _c("strict_http_validation", "implementsStrictHTTPValidation", "Validates HTTP strictly."),
    _c("script_filters", "invokesScriptFilters", "Filters scripts out of input."),
    _c("encrypted", "isEncrypted", "Encrypts data in transit."),
    _c("encrypted_at_rest", "isEncryptedAtRest", "Encrypts stored data."),
    _c("hardened", "isHardened", "Is hardened (CIS benchmark or similar)."),
    _c("resilient", "isResilient", "Is resilient to failure."),
    _c("provides_confidentiality", "providesConfidentiality", "Keeps data confidential."),
    _c("provides_integrity", "providesIntegrity", "Protects data integrity."),
    _c("sanitizes_input", "sanitizesInput", "Sanitizes its input."),
    _c("tracks_execution_flow", "tracksExecutionFlow", "Tracks its execution flow (audit trail)."),
    _c("code_signing", "usesCodeSigning", "Runs signed code only."),
    Attr("encryption_algorithm", STR, "Encryption algorithm in use.", "", pytm="controls.usesEncryptionAlgorithm"),
    _c("uses_mfa", "usesMFA", "Requires multi-factor authentication."),
    _c("parameterized_input", "usesParameterizedInput", "Uses parameterized queries."),
    _c("secure_functions", "usesSecureFunctions", "Uses safe library functions."),
    _c("strong_session_ids", "usesStrongSessionIdentifiers", "Uses strong session identifiers."),
    _c("validates_content_type", "validatesContentType", "Validates content types."),
    _c("validates_headers", "validatesHeaders", "Validates headers."),
    _c("validates_input", "validatesInput", "Validates input."),
    _c("verifies_session_ids", "verifySessionIdentifiers", "Verifies session identifiers."),
)

# Links to infrastructure as code (docs/iac.md): `tmdiag drift` compares the node's claims with these resources.
IAC = Attr(
    "iac",
    ADDRESSES,
    "Terraform resources it stands for (`tmdiag drift` compares its claims with them).",
    (),
    example='["aws_db_instance.orders"]',
)

CLOUD = (
    Attr(
        "ingress",
        INGRESS,
        'Inbound network rules as `"CIDR:port"`, `"CIDR:from-to"` or `"CIDR:*"` (every port).',
        (),
        example='["10.0.1.0/24:5432"]',
    ),
    _b("public", "Directly reachable from the internet (public IP, public bucket, open endpoint)."),
    _b("admin", "Offers administrative access (console, SSH, control plane)."),
    IAC,
)

ASSET = (
    Attr("port", PORT, "Default TCP port of incoming flows.", -1, pytm="port"),
    Attr("protocol", STR, "Default protocol of incoming flows.", "", pytm="protocol"),
    _b("on_aws", "Runs on AWS.", "onAWS"),
    _b("handles_resources", "Handles resources (files, memory, handles).", "handlesResources"),
    _b("uses_environment_variables", "Reads configuration from environment variables.", "usesEnvironmentVariables"),
    Attr("os", STR, "Operating system.", "", pytm="OS"),
)

PROCESS_ONLY = (
    Attr("code_type", ENUM, "Managed or unmanaged code.", "unmanaged", ("managed", "unmanaged"), pytm="codeType"),
    _b("implements_communication_protocol", "Implements its own wire protocol.", "implementsCommunicationProtocol"),
    _b("implements_api", "Implements an API.", "implementsAPI"),
    Attr("environment", STR, "Runtime environment.", "", pytm="environment"),
    _b("client_side_scripting", "Serves pages that run client-side scripts.", "allowsClientSideScripting"),
    _b("multiple", "Several instances of the process (pytm SetOfProcesses)."),
)

SCHEMAS: dict[str, tuple[Attr, ...]] = {
    "model": (
        Attr("description", STR, "What the system does.", ""),
        Attr("scope", STR, "What the model covers and what it leaves out.", ""),
        Attr("version", STR, "Version of the model or of the system.", ""),
        Attr("owner", REF, "Team member who owns the model.", None, ref="member"),
        Attr("reviewed", DATE, "Date of the last review.", None, example="2026-10-01"),
        Attr("review_every", DURATION, "How often the model must be reviewed.", None, example="90d"),
        Attr(
            "rules",
            ENUM,
            "Keep pytm's threat library (`extend`) or use only custom rules (`replace`).",
            "extend",
            ("extend", "replace"),
        ),
        Attr(
            "cloud",
            ENUM,
            "Main cloud provider (picks diagram icons).",
            None,
            ("aws", "gcp", "azure", "k8s", "onprem", "generic"),
        ),
        Attr(
            "iac_out_of_scope",
            ADDRESSES,
            "Terraform resources the model leaves out on purpose (modeled in another model, or outside its "
            "scope): drift does not report them as exposed and unmodeled (TM708).",
            (),
            example='["aws_instance.bastion"]',
        ),
    ),
    "member": (
        Attr("email", STR, "Contact address.", ""),
        Attr("description", STR, "What the member does in the review.", ""),
    ),
    "data": (
        Attr("description", STR, "What the data is.", "", pytm="description"),
        Attr("format", STR, "Format (JSON, PDF, …).", "", pytm="format"),
        Attr("classification", ENUM, "Sensitivity.", "unknown", CLASSIFICATIONS, pytm="classification"),
        _b("pii", "Contains personally identifiable information.", "isPII"),
        _b("credentials", "Contains credentials (passwords, keys, tokens).", "isCredentials"),
        Attr("lifetime", ENUM, "Credential lifetime.", "none", LIFETIMES, pytm="credentialsLife"),
        _b("encrypted_at_rest", "Encrypted at rest wherever it is stored.", "isDestEncryptedAtRest"),
        Attr("impact", ENUM, "Impact if it leaks or is altered.", None, LEVELS),
    ),
    "threat_agent": (
        Attr("description", STR, "Who they are.", ""),
        Attr("skill", ENUM, "Skill level.", "medium", ("low", "medium", "high", "expert")),
        Attr(
            "motive",
            ENUM,
            "What drives them.",
            None,
            ("financial", "espionage", "disruption", "ideology", "curiosity", "revenge", "fraud", "accident"),
        ),
        Attr("enters", REFS, "Boundaries where they enter the system.", (), ref="boundary"),
        Attr("targets", REFS, "Elements they go after.", (), ref="element"),
    ),
    "boundary": (
        Attr("description", STR, "What the boundary encloses.", ""),
        Attr(
            "trust",
            ENUM,
            "Trust level of what is inside; a nested boundary without it has its parent's.",
            "medium",
            TRUST_LEVELS,
            required=False,
        ),
        Attr(
            "kind",
            ENUM,
            "What the boundary is.",
            None,
            (
                "internet",
                "network",
                "account",
                "project",
                "subscription",
                "vpc",
                "subnet",
                "cluster",
                "namespace",
                "zone",
                "region",
                "datacenter",
                "host",
                "partner",
                "device",
            ),
        ),
        Attr(
            "cloud", ENUM, "Cloud provider of the boundary.", None, ("aws", "gcp", "azure", "k8s", "onprem", "generic")
        ),
        _b("audit_log", "Audit logging (CloudTrail, Cloud Audit Logs, activity log) is on."),
        Attr("mfa", ENUM, "MFA for human access.", None, ("required", "optional", "none")),
        _b("public", "Reachable from the internet."),
        Attr("owner", REF, "Team member who owns it.", None, ref="member"),
        Attr("icon", ICON, "Icon for cloud diagrams.", None),
        IAC,
    ),
    "actor": COMMON
    + CONTROLS
    + (
        Attr("port", PORT, "Default TCP port of outgoing flows.", -1, pytm="port"),
        Attr("protocol", STR, "Default protocol of outgoing flows.", "", pytm="protocol"),
        _b("admin", "Has administrative privileges.", "isAdmin"),
        _b("human", "Is a person (not a system).", default=True),
    ),
    "process": COMMON + CONTROLS + ASSET + CLOUD + PROCESS_ONLY,
    "server": COMMON
    + CONTROLS
    + ASSET
    + CLOUD
    + (
        _b("session_tokens", "Uses session tokens.", "usesSessionTokens"),
        _b("cache", "Uses a cache.", "usesCache"),
        _b("uses_vpn", "Is reached over a VPN.", "usesVPN"),
        _b("xml_parser", "Parses XML.", "usesXMLParser"),
    ),
    "lambda": COMMON
    + CONTROLS
    + ASSET
    + CLOUD
    + (
        Attr("environment", STR, "Runtime environment.", "", pytm="environment"),
        _b("implements_api", "Implements an API.", "implementsAPI"),
    ),
    "datastore": COMMON
    + CONTROLS
    + ASSET
    + CLOUD
    + (
        Attr(
            "kind",
            ENUM,
            "Kind of store.",
            "unknown",
            ("unknown", "sql", "nosql", "file_system", "ldap", "s3", "object", "cache", "queue", "log", "secrets"),
            pytm="type",
        ),
        Attr("stores", REFS, "Data assets persisted here (flows in and out add theirs).", (), ref="data"),
        _b("on_rds", "Runs on AWS RDS.", "onRDS"),
        _b("stores_log_data", "Holds logs.", "storesLogData"),
        _b("stores_pii", "Holds PII (derived from what it stores when not given).", "storesPII"),
        _b(
            "stores_sensitive_data",
            "Holds sensitive data (derived from what it stores when not given).",
            "storesSensitiveData",
        ),
        _b("shared", "Shared with other systems.", "isShared"),
        _b("write_access", "Clients may write.", "hasWriteAccess"),
        _b("versioning", "Keeps object versions / point-in-time recovery."),
        _b("backup", "Is backed up."),
    ),
    "external": COMMON + CONTROLS + ASSET + (_b("physical_access", "Has physical access.", "hasPhysicalAccess"),),
    "llm": COMMON
    + CONTROLS
    + ASSET
    + CLOUD
    + (
        _b("third_party", "A third-party service.", "isThirdParty", default=True),
        _b("self_hosted", "Self-hosted.", "isSelfHosted"),
        _b("processes_personal_data", "Processes personal data.", "processesPersonalData"),
        _b("retains_user_data", "Retains user data.", "retainsUserData"),
        _b("agent_capabilities", "Can act (tools, function calls).", "hasAgentCapabilities"),
        _b("sensitive_access", "Has access to sensitive systems.", "hasAccessToSensitiveSystems"),
        _b("executes_code", "Executes code.", "executesCode"),
        _b("content_filtering", "Filters prompts and completions.", "hasContentFiltering"),
        _b("system_prompt", "Has a system prompt.", "hasSystemPrompt", default=True),
        _b("untrusted_input", "Processes untrusted input.", "processesUntrustedInput", default=True),
        _b("rag", "Uses retrieval-augmented generation.", "hasRAG"),
        _b("fine_tuned", "Is fine-tuned.", "hasFineTuning"),
    ),
    "agent": COMMON
    + CONTROLS
    + ASSET
    + CLOUD
    + (
        _b("external_tools", "Uses external tools or MCP servers.", "usesExternalTools"),
        _b("validates_tool_config", "Validates tool launch configuration.", "validatesToolLaunchConfig"),
    ),
    "flow": COMMON
    + _aliased(CONTROLS, "authenticates_source", "The caller (the flow's source) is authenticated.", "authenticated")
    + (
        Attr("protocol", STR, "Protocol (https, postgres, grpc, …).", "", pytm="protocol"),
        Attr("port", PORT, "Destination port.", -1, pytm="dstPort"),
        Attr("src_port", PORT, "Source port.", -1, pytm="srcPort"),
        Attr("data", REFS, "Data assets carried.", (), ref="data"),
        Attr("tls", TLS, "TLS version in use.", "none", TLS_VERSIONS, pytm="tlsVersion", example="1.3"),
        _b("session_tokens", "Uses session tokens.", "usesSessionTokens"),
        _b("uses_vpn", "Goes over a VPN.", "usesVPN"),
        _b("implements_communication_protocol", "Uses a home-made wire protocol.", "implementsCommunicationProtocol"),
        Attr("note", STR, "A note shown with the flow.", "", pytm="note"),
        _b("admin", "Carries administrative access."),
        _b("merge_reply", "Draw the reply on the same edge as the request.", default=True),
    ),
    "control": (
        Attr("description", STR, "What the control does.", ""),
        Attr(
            "on",
            REFS,
            "Elements, flows and boundaries (everything inside) it protects.",
            (),
            ref="protected",
            required=True,
        ),
        Attr(
            "kind",
            ENUM,
            "What kind of control it is: closes or lowers the threats it addresses (docs/threats.md).",
            None,
            CONTROL_KINDS,
        ),
        Attr("mitigates", IDS, "Threat ids it mitigates on those elements.", ()),
        Attr("owner", REF, "Team member who runs it.", None, ref="member"),
        Attr("automated", BOOL, "Enforced by automation (policy as code, CI).", False),
    ),
    "risk": (
        Attr("status", ENUM, "Decision.", "open", DECISIONS, required=True),
        Attr("owner", REF, "Team member who owns the risk.", None, ref="member"),
        Attr("by", REF, "Control that mitigates it (for `mitigated`).", None, ref="control"),
        Attr("justification", STR, "Why the decision is right.", ""),
        Attr("ticket", STR, "Tracking ticket.", ""),
        Attr("until", DATE, "Expiry of an accepted risk.", None),
        Attr("due", DATE, "Remediation due date (needed for `in_progress`).", None),
        Attr("checked_by", REF, "Team member who checked the decision.", None, ref="member"),
        Attr("date", DATE, "When the decision was taken.", None),
        Attr("severity", ENUM, "Override the computed risk level.", None, LEVELS),
    ),
    "assume": (
        Attr("on", REFS, "Elements the assumption is about.", (), ref="element"),
        Attr("excludes", IDS, "Threat ids the assumption rules out on those elements.", ()),
    ),
    "view": (
        Attr("description", STR, "What the picture is for.", ""),
        Attr(
            "include",
            REFS,
            "Boundaries (with everything inside) and elements the picture is about.",
            (),
            ref="scope",
            required=True,
            example="[payments, psp]",
        ),
        Attr("exclude", REFS, "Boundaries and elements left out of it.", (), ref="scope"),
        Attr("depth", INT, "Hops of neighbours drawn around what is included (0: none).", 1),
        Attr(
            "direction",
            ENUM,
            "Layout direction (`auto`: whichever fits a screen better).",
            "auto",
            ("auto", "right", "down"),
        ),
        _b("data", "Label flows with the data assets they carry."),
        _b("risk", "Colour open high and critical findings (with threat analysis).", default=True),
    ),
    "rule": (
        Attr("description", STR, "What the threat is.", ""),
        Attr("severity", ENUM, "Severity.", "medium", ("low", "medium", "high", "very_high"), required=True),
        Attr("likelihood", ENUM, "Likelihood.", "medium", ("low", "medium", "high")),
        Attr("targets", REFS, "Element kinds it applies to.", (), ref="kind", required=True),
        Attr("mitigations", STR, "How to mitigate it.", ""),
        Attr("references", STR, "References (CWE, CAPEC, URLs).", ""),
        Attr("details", STR, "Longer explanation.", ""),
    ),
}

# String attributes whose short technical words read well unquoted: `protocol: https`, `os: linux`.
UNQUOTED_OK = frozenset(
    {"protocol", "os", "environment", "authentication_scheme", "format", "encryption_algorithm", "tags"}
)
# What a reference (`Attr.ref`) points to, in words.
REF_NOUNS = {
    "member": "team member", "data": "data asset", "control": "control", "boundary": "boundary",
    "element": "element", "flow": "flow", "agent": "threat agent", "kind": "element kind",
    "protected": "element, flow or boundary",
    "scope": "boundary or element",
}  # fmt: skip

ELEMENT_KINDS = ("actor", "process", "server", "lambda", "datastore", "external", "llm", "agent")
RULE_TARGETS = (*ELEMENT_KINDS, "flow")


def tls_version(value: object) -> str | None:
    """A TLS version as written (`1.2`, `"tls1.3"`, `"TLSv1.2"`, `1`) as one of TLS_VERSIONS, or None."""
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).lower().removeprefix("tls").removeprefix("v")
    text = {"1": "1.0"}.get(text, text)
    return text if text in TLS_VERSIONS else None


@dataclass(frozen=True, slots=True)
class Ingress:
    """An ingress rule `"CIDR:port"`, `"CIDR:from-to"` or `"CIDR:*"`, read."""

    network: ipaddress.IPv4Network | ipaddress.IPv6Network
    first_port: int
    last_port: int

    @property
    def from_anywhere(self) -> bool:
        """Open to the whole internet: 0.0.0.0/0 or ::/0."""
        return self.network.prefixlen == 0


def world_ingress(values: object) -> tuple[str, ...]:
    """The ingress rules of an `ingress:` value that are open to the whole internet, as written."""
    rules = values if isinstance(values, tuple) else (values,) if values is not None else ()
    found = []
    for text in rules:
        parsed = parse_ingress(text) if isinstance(text, str) else None
        if isinstance(parsed, Ingress) and parsed.from_anywhere:
            found.append(str(text))
    return tuple(found)


_PORT = re.compile(r"[0-9]{1,5}")  # ASCII digits only: `str.isdigit` also takes `²` and `٣`


def parse_ingress(text: str) -> Ingress | str:
    """The rule, or why it is malformed (a message naming the bad part)."""
    cidr, _, ports = text.rpartition(":")
    if not cidr or not ports:
        return f'ingress rule "{text}" needs a port: "CIDR:port"'
    try:
        network = ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return f'"{cidr}" in ingress rule "{text}" is not an IP network'
    low, _, high = ports.partition("-")
    high = high or low
    if "*" in (low, high):
        return (
            Ingress(network, 0, 65535)
            if low == high == "*"
            else f'"{ports}" in ingress rule "{text}" mixes `*` and a port'
        )
    if not (_PORT.fullmatch(low) and _PORT.fullmatch(high)) or int(low) > 65535 or int(high) > 65535:
        return f'"{ports}" in ingress rule "{text}" is not a port or port range'
    if int(low) > int(high):
        return f'port range "{ports}" in ingress rule "{text}" runs backwards: write "{high}-{low}"'
    return Ingress(network, int(low), int(high))


# A Terraform resource address: `aws_s3_bucket.logs`, `module.net.aws_vpc.main`, `aws_instance.web[0]`,
# `aws_instance.app["blue"]`, `data.aws_iam_policy_document.x`. An address without an instance key
# stands for every instance of the resource.
_ADDRESS_NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
_ADDRESS_KEY = r'(?:\[(?:[0-9]+|"(?:[^"\\]|\\.)*")\])'
# A managed resource: data sources are read, not deployed; `module.x` alone is a module, not a resource.
ADDRESS = re.compile(
    rf"(?:module\.{_ADDRESS_NAME}{_ADDRESS_KEY}?\.)*(?!(?:data|module)\.){_ADDRESS_NAME}\.{_ADDRESS_NAME}{_ADDRESS_KEY}?"
)


def address_problem(text: str) -> str | None:
    """Why `text` is not a Terraform resource address, or None."""
    if ADDRESS.fullmatch(text):
        return None
    if re.fullmatch(rf"(?:module\.{_ADDRESS_NAME}{_ADDRESS_KEY}?\.?)+", text):
        return f'"{text}" is a module, not a resource: link the resources in it ("{text.rstrip(".")}.TYPE.NAME")'
    if re.search(r"(?:^|\.)data\.", text):
        return f'"{text}" is a data source: it reads something deployed elsewhere; link that resource instead'
    return f'"{text}" is not a Terraform resource address'


ADDRESS_FORMS = 'write `type.name`, `module.m.type.name`, `type.name[0]` or `type.name["key"]`'


def _index() -> dict[str, dict[str, Attr]]:
    """Every name an attribute may be written under (its aliases too) → the attribute."""
    return {kind: {name: a for a in specs for name in (a.name, *a.aliases)} for kind, specs in SCHEMAS.items()}


BY_NAME: dict[str, dict[str, Attr]] = _index()
# kind → name or alias → every spelling of that attribute, for the attributes that have aliases
SPELLINGS: dict[str, dict[str, tuple[str, ...]]] = {
    kind: {name: (a.name, *a.aliases) for a in specs if a.aliases for name in (a.name, *a.aliases)}
    for kind, specs in SCHEMAS.items()
}


def canonical(kind: str, name: str) -> str:
    """The attribute's own name for a name it may be written under (`authenticated` on a flow →
    `authenticates_source`); other names unchanged."""
    spec = BY_NAME.get(kind, {}).get(name)
    return spec.name if spec is not None else name


def _pytm_index() -> dict[str, dict[str, str]]:
    """kind → pytm field name (`isPII`, `isEncrypted` for `controls.isEncrypted`) → attribute name; the
    first attribute in schema order wins when two map to one field."""
    index: dict[str, dict[str, str]] = {}
    for kind, specs in SCHEMAS.items():
        table = index.setdefault(kind, {})
        for spec in specs:
            if spec.pytm:
                table.setdefault(spec.pytm.rpartition(".")[2], spec.name)
    return index


_BY_PYTM = _pytm_index()


def from_pytm(kind: str, written: str) -> tuple[str, str] | None:
    """(pytm field, attribute) for a pytm field name written on this kind (`storesPII` → `stores_pii`),
    or None. Exact first, then ignoring case (`storespii`)."""
    table = _BY_PYTM.get(kind, {})
    if written in table:
        return written, table[written]
    field = next((name for name in table if name.lower() == written.lower()), None)
    return (field, table[field]) if field is not None else None
