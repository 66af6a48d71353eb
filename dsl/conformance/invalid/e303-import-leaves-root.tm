# The corpus root is dsl/conformance (it holds tmdiag.toml): these imports leave it.
import "../../std/aws.tm"
import "/etc/hostname"
import "std/../../../grammar/tm.lark"
