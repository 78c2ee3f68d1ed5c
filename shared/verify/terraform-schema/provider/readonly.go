package main

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// readOnlyDiagnostics reports each attribute that the configuration sets although the schema marks it computed
// and neither optional nor required (an id, an exported URL). Terraform itself does not reject those: the real
// SDKv2 providers do, in their schema validation, with "Computed attributes cannot be set"
// (terraform-plugin-sdk v2, helper/schema), so the stand-in answers the same.
func readOnlyDiagnostics(schema *tfprotov6.Schema, config *tfprotov6.DynamicValue) []*tfprotov6.Diagnostic {
	if schema == nil || config == nil {
		return nil
	}
	value, err := config.Unmarshal(schema.ValueType())
	if err != nil {
		return []*tfprotov6.Diagnostic{{Severity: tfprotov6.DiagnosticSeverityError, Summary: "terraform-schema-provider cannot decode the configuration", Detail: err.Error()}}
	}
	return readOnlyIn(schema.Block, value, tftypes.NewAttributePath(), nil)
}

func readOnlyIn(block *tfprotov6.SchemaBlock, value tftypes.Value, path *tftypes.AttributePath, names []string) []*tfprotov6.Diagnostic {
	if value.IsNull() || !value.IsKnown() {
		return nil
	}
	var fields map[string]tftypes.Value
	if err := value.As(&fields); err != nil {
		return nil
	}
	var diags []*tfprotov6.Diagnostic
	for _, a := range block.Attributes {
		v, ok := fields[a.Name]
		if !ok || v.IsNull() || !a.Computed || a.Optional || a.Required {
			continue
		}
		name := strings.Join(append(append([]string{}, names...), a.Name), ".")
		diags = append(diags, &tfprotov6.Diagnostic{
			Severity:  tfprotov6.DiagnosticSeverityError,
			Summary:   "Computed attributes cannot be set",
			Detail:    fmt.Sprintf("Computed attributes cannot be set, but a value was set for %q.", name),
			Attribute: path.WithAttributeName(a.Name),
		})
	}
	for _, b := range block.BlockTypes {
		v, ok := fields[b.TypeName]
		if !ok || v.IsNull() || !v.IsKnown() {
			continue
		}
		at := path.WithAttributeName(b.TypeName)
		inner := append(append([]string{}, names...), b.TypeName)
		switch b.Nesting {
		case tfprotov6.SchemaNestedBlockNestingModeList, tfprotov6.SchemaNestedBlockNestingModeSet:
			var items []tftypes.Value
			if err := v.As(&items); err != nil {
				continue
			}
			for i, item := range items {
				step := at.WithElementKeyInt(i)
				if b.Nesting == tfprotov6.SchemaNestedBlockNestingModeSet {
					step = at.WithElementKeyValue(item)
				}
				diags = append(diags, readOnlyIn(b.Block, item, step, append(inner, fmt.Sprint(i)))...)
			}
		case tfprotov6.SchemaNestedBlockNestingModeMap:
			var items map[string]tftypes.Value
			if err := v.As(&items); err != nil {
				continue
			}
			for _, key := range sortedKeys(items) {
				diags = append(diags, readOnlyIn(b.Block, items[key], at.WithElementKeyString(key), append(inner, key))...)
			}
		default:
			diags = append(diags, readOnlyIn(b.Block, v, at, inner)...)
		}
	}
	return diags
}
