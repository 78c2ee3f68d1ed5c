// Command terraform-schema-provider is a stand-in Terraform provider that serves a provider's real schema, read
// from a JSON file (azurerm.json or random.json next to this folder, extracted by ../regenerate.mjs), over the
// plugin protocol (version 6).
//
// With it, `terraform init`, `validate` and `test` with mock_provider run offline: the engine itself checks every
// block and argument of the configuration against the schema (unknown or misplaced arguments, missing required
// ones, wrong types, too many blocks, references to attributes that do not exist). It does not contain the
// provider's own code, so provider-side checks (ValidateFunc, ConflictsWith, API calls) never run, and it refuses
// to apply, import or read anything: plans are passed through unchanged and mock_provider supplies the values.
//
// Usage (as the filesystem mirror's provider executable, through a one-line wrapper script):
//
//	terraform-schema-provider /path/to/azurerm.json
package main

import (
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

func main() {
	if len(os.Args) != 2 || os.Args[1] == "--help" {
		fmt.Fprintln(os.Stderr, "usage: terraform-schema-provider SCHEMA.json (started by terraform through a filesystem mirror)")
		os.Exit(2)
	}
	if os.Args[1] == "--version" {
		fmt.Println("terraform-schema-provider " + version)
		return
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	schemas, err := parseSchemas(raw)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	if err := tf6server.Serve(schemas.address, func() tfprotov6.ProviderServer { return &server{schemas} }); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// version changes with the protocol behaviour; the bootstrap caches builds by a hash of these sources anyway.
const version = "1.0.0"
