package main

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The JSON shape is that of `terraform providers schema -json` (one provider), plus the `source` header.
type jsonFile struct {
	Source struct {
		Provider string `json:"provider"`
	} `json:"source"`
	Provider          jsonSchema            `json:"provider"`
	ResourceSchemas   map[string]jsonSchema `json:"resource_schemas"`
	DataSourceSchemas map[string]jsonSchema `json:"data_source_schemas"`
}

type jsonSchema struct {
	Version int64     `json:"version"`
	Block   jsonBlock `json:"block"`
}

type jsonBlock struct {
	Attributes map[string]jsonAttribute   `json:"attributes"`
	BlockTypes map[string]jsonNestedBlock `json:"block_types"`
}

type jsonAttribute struct {
	Type      json.RawMessage `json:"type"`
	Required  bool            `json:"required"`
	Optional  bool            `json:"optional"`
	Computed  bool            `json:"computed"`
	Sensitive bool            `json:"sensitive"`
}

type jsonNestedBlock struct {
	NestingMode string    `json:"nesting_mode"`
	Block       jsonBlock `json:"block"`
	MinItems    int64     `json:"min_items"`
	MaxItems    int64     `json:"max_items"`
}

type schemas struct {
	address     string
	provider    *tfprotov6.Schema
	resources   map[string]*tfprotov6.Schema
	dataSources map[string]*tfprotov6.Schema
}

func parseSchemas(raw []byte) (*schemas, error) {
	var file jsonFile
	if err := json.Unmarshal(raw, &file); err != nil {
		return nil, err
	}
	if file.Source.Provider == "" {
		return nil, fmt.Errorf("no source.provider (the provider address) in the header")
	}
	result := &schemas{address: file.Source.Provider, resources: map[string]*tfprotov6.Schema{}, dataSources: map[string]*tfprotov6.Schema{}}
	var err error
	if result.provider, err = convertSchema("provider", file.Provider); err != nil {
		return nil, err
	}
	for name, s := range file.ResourceSchemas {
		if result.resources[name], err = convertSchema(name, s); err != nil {
			return nil, err
		}
	}
	for name, s := range file.DataSourceSchemas {
		if result.dataSources[name], err = convertSchema(name, s); err != nil {
			return nil, err
		}
	}
	return result, nil
}

func convertSchema(where string, s jsonSchema) (*tfprotov6.Schema, error) {
	block, err := convertBlock(where, s.Block)
	if err != nil {
		return nil, err
	}
	return &tfprotov6.Schema{Version: s.Version, Block: block}, nil
}

var nestingModes = map[string]tfprotov6.SchemaNestedBlockNestingMode{
	"single": tfprotov6.SchemaNestedBlockNestingModeSingle,
	"list":   tfprotov6.SchemaNestedBlockNestingModeList,
	"set":    tfprotov6.SchemaNestedBlockNestingModeSet,
	"map":    tfprotov6.SchemaNestedBlockNestingModeMap,
	"group":  tfprotov6.SchemaNestedBlockNestingModeGroup,
}

// convertBlock keeps names sorted, so the schema (and any error message) is the same on every run.
func convertBlock(where string, b jsonBlock) (*tfprotov6.SchemaBlock, error) {
	block := &tfprotov6.SchemaBlock{}
	for _, name := range sortedKeys(b.Attributes) {
		a := b.Attributes[name]
		typ, err := tftypes.ParseJSONType(a.Type)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: type %s: %w", where, name, a.Type, err)
		}
		block.Attributes = append(block.Attributes, &tfprotov6.SchemaAttribute{
			Name: name, Type: typ, Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive,
		})
	}
	for _, name := range sortedKeys(b.BlockTypes) {
		nb := b.BlockTypes[name]
		mode, ok := nestingModes[nb.NestingMode]
		if !ok {
			return nil, fmt.Errorf("%s.%s: unknown nesting_mode %q", where, name, nb.NestingMode)
		}
		inner, err := convertBlock(where+"."+name, nb.Block)
		if err != nil {
			return nil, err
		}
		block.BlockTypes = append(block.BlockTypes, &tfprotov6.SchemaNestedBlock{
			TypeName: name, Block: inner, Nesting: mode, MinItems: nb.MinItems, MaxItems: nb.MaxItems,
		})
	}
	return block, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
