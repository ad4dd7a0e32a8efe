// Gemini schema cleaning (translation.md §2.5); vectors from the original's gemini_schema_test.go
// (the Gemini variant: no placeholder properties are added).
#include "translate/gemini_schema.hpp"

#include "gemini_test_helpers.hpp"

#include <gtest/gtest.h>

namespace cpa::proxy::translate::gemini_test {
namespace {

using gemini::cleanSchema;

std::string cleaned(std::string_view schema) { return cpa::sdk::toJson(cleanSchema(J(schema))); }

TEST(GeminiSchema, ConstBecomesAOneValueEnumWithoutHint) {
    EXPECT_EQ(cleanSchema(J(R"j({"type":"object","properties":{"kind":{"type":"string","const":"InsightVizNode"}}})j")),
              J(R"j({"type":"object","properties":{"kind":{"type":"string","enum":["InsightVizNode"]}}})j"));
}

TEST(GeminiSchema, NullableTypeListsFlattenAndLeaveRequired) {
    EXPECT_EQ(cleanSchema(J(R"j({"type":"object","properties":{"name":{"type":["string","null"]},
        "my.param":{"type":["string","null"],"description":"User name"},"other":{"type":"string"}},
        "required":["name","my.param","other"]})j")),
              J(R"j({"type":"object","properties":{"name":{"type":"string","description":"(nullable)"},
        "my.param":{"type":"string","description":"User name (nullable)"},"other":{"type":"string"}},
        "required":["other"]})j"));
}

TEST(GeminiSchema, ConstraintsMoveIntoTheDescription) {
    EXPECT_EQ(cleanSchema(J(R"j({"type":"object","properties":{
        "tags":{"type":"array","description":"List of tags","minItems":1,"items":{"type":"string"},"uniqueItems":true},
        "name":{"type":"string","minLength":3},
        "url":{"type":"string","format":"uri","description":"A URL"},
        "n":{"type":"integer","default":5}}})j")),
              J(R"j({"type":"object","properties":{
        "tags":{"type":"array","description":"List of tags (minItems: 1) (uniqueItems: true)","items":{"type":"string"}},
        "name":{"type":"string","description":"minLength: 3"},
        "url":{"type":"string","description":"A URL (format: uri)"},
        "n":{"type":"integer","description":"default: 5"}}})j"));
}

TEST(GeminiSchema, AnyOfPicksTheMostStructuredBranch) {
    EXPECT_EQ(cleanSchema(J(R"j({"type":"object","properties":{"query":{"anyOf":[{"type":"null"},
        {"type":"object","properties":{"kind":{"type":"string"}}}]}}})j")),
              J(R"j({"type":"object","properties":{"query":{"type":"object","description":"Accepts: null | object",
        "properties":{"kind":{"type":"string"}}}}})j"));
    EXPECT_EQ(cleanSchema(J(R"j({"type":"object","properties":{"config":{"oneOf":[{"type":"string"},{"type":"integer"}]}}})j")),
              J(R"j({"type":"object","properties":{"config":{"type":"string","description":"Accepts: string | integer"}}})j"));
    EXPECT_EQ(cleanSchema(J(R"j({"type":"object","properties":{"config":{"description":"Parent desc",
        "anyOf":[{"type":"string","description":"Child desc"},{"type":"integer"}]}}})j")),
              J(R"j({"type":"object","properties":{"config":{"type":"string",
        "description":"Parent desc (Child desc) (Accepts: string | integer)"}}})j"));
}

TEST(GeminiSchema, AllOfMergesPropertiesAndRequired) {
    EXPECT_EQ(cleanSchema(J(R"j({"type":"object","allOf":[
        {"properties":{"my.param":{"type":"string"}},"required":["my.param"]},
        {"properties":{"b":{"type":"integer"}},"required":["b"]}]})j")),
              J(R"j({"type":"object","properties":{"my.param":{"type":"string"},"b":{"type":"integer"}},
        "required":["my.param","b"]})j"));
}

TEST(GeminiSchema, RefsBecomeDescribedObjects) {
    EXPECT_EQ(cleanSchema(J(R"j({"definitions":{"User":{"type":"object"}},"type":"object","properties":{
        "customer":{"$ref":"#/definitions/User"},
        "quoted":{"description":"He said \"hi\"","$ref":"#/$defs/User"}}})j")),
              J(R"j({"type":"object","properties":{"customer":{"type":"object","description":"See: User"},
        "quoted":{"type":"object","description":"He said \"hi\" (See: User)"}}})j"));
    const Value cyclic = cleanSchema(J(R"j({"definitions":{"Node":{"type":"object","properties":{
        "child":{"$ref":"#/definitions/Node"}}}},"$ref":"#/definitions/Node"})j"));
    EXPECT_EQ(cyclic, J(R"j({"type":"object","description":"See: Node"})j"));
}

TEST(GeminiSchema, RequiredNamesWithoutPropertiesAreDropped) {
    EXPECT_EQ(cleanSchema(J(R"j({"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}},
        "required":["a","b","c"]})j")),
              J(R"j({"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}},"required":["a","b"]})j"));
    EXPECT_EQ(cleanSchema(J(R"j({"type":"object","properties":{"a":{"type":"string"}},"required":["z"]})j")),
              J(R"j({"type":"object","properties":{"a":{"type":"string"}}})j"));
}

TEST(GeminiSchema, PropertyNamesThatLookLikeKeywordsAreKept) {
    EXPECT_EQ(cleanSchema(J(R"j({"type":"object","properties":{"pattern":{"type":"string","description":"The regex"},
        "format":{"type":"string"},"enum":{"type":"string"},"x-data":{"type":"string"},"$id":{"type":"string"}},
        "required":["pattern","x-data"]})j")),
              J(R"j({"type":"object","properties":{"pattern":{"type":"string","description":"The regex"},
        "format":{"type":"string"},"enum":{"type":"string"},"x-data":{"type":"string"},"$id":{"type":"string"}},
        "required":["pattern","x-data"]})j"));
}

TEST(GeminiSchema, EnumsAreStringsWithAnAllowedHint) {
    EXPECT_EQ(cleanSchema(J(R"j({"type":"object","properties":{"priority":{"type":"integer","enum":[0,1,2]},
        "enabled":{"type":"boolean","enum":[true,false]},"level":{"type":"number","enum":[1.5]},
        "status":{"type":"string","enum":["active","inactive","pending"],"description":"Current status"}}})j")),
              J(R"j({"type":"object","properties":{
        "priority":{"type":"string","enum":["0","1","2"],"description":"Allowed: 0, 1, 2"},
        "enabled":{"type":"string","enum":["true","false"],"description":"Allowed: true, false"},
        "level":{"type":"string","enum":["1.5"]},
        "status":{"type":"string","enum":["active","inactive","pending"],
                  "description":"Current status (Allowed: active, inactive, pending)"}}})j"));
}

TEST(GeminiSchema, GeminiUnsupportedMetadataIsRemoved) {
    EXPECT_EQ(cleanSchema(J(R"j({"$schema":"http://json-schema.org/draft-07/schema#","$id":"root-schema",
        "type":"object","title":"Root","x-custom-meta":"value","properties":{
        "payload":{"type":"object","prefill":"hello","nullable":true,"deprecated":true,"properties":{
            "mode":{"type":"string","enum":["a","b"],"enumTitles":["A","B"],"x-internal-id":123}},
            "patternProperties":{"^x-":{"type":"string"}},"propertyNames":{"pattern":"^a"}},
        "$id":{"type":"string","description":"property name should not be removed"}},
        "additionalProperties":false})j")),
              J(R"j({"type":"object","description":"No extra properties allowed","properties":{
        "payload":{"type":"object","properties":{"mode":{"type":"string","enum":["a","b"],"description":"Allowed: a, b"}}},
        "$id":{"type":"string","description":"property name should not be removed"}}})j"));
}

TEST(GeminiSchema, PlaceholderPropertiesAreRemoved) {
    EXPECT_EQ(cleanSchema(J(R"j({"type":"object","properties":{
        "a":{"type":"object","properties":{"_":{"type":"boolean"},"k":{"type":"string"}},"required":["_"]},
        "b":{"type":"object","properties":{"reason":{"type":"string",
             "description":"Brief explanation of why you are calling this tool"}},"required":["reason"]}}})j")),
              J(R"j({"type":"object","properties":{"a":{"type":"object","properties":{"k":{"type":"string"}}},
        "b":{"type":"object","properties":{}}}})j"));
}

TEST(GeminiSchema, MultipleNonNullTypesAndNestedItems) {
    const std::string out = cleaned(R"j({"type":"object","properties":{"value":{"type":["string","integer","boolean"]},
        "list":{"type":"array","items":{"type":"object","properties":{"x":{"type":["integer","null"]}},"required":["x"],
        "additionalProperties":false}}}})j");
    EXPECT_EQ(J(out), J(R"j({"type":"object","properties":{
        "value":{"type":"string","description":"Accepts: string | integer | boolean"},
        "list":{"type":"array","items":{"type":"object","properties":{"x":{"type":"integer","description":"(nullable)"}},
        "description":"No extra properties allowed"}}}})j"));
}

TEST(GeminiSchema, OpenApiTypesAreLoweredForCanonicalSchemas) {
    EXPECT_EQ(gemini::lowerSchemaTypes(J(R"j({"type":"OBJECT","properties":{"a":{"type":"ARRAY","items":{"type":"STRING"}},
        "type":{"type":"NUMBER"}},"anyOf":[{"type":"INTEGER"}]})j")),
              J(R"j({"type":"object","properties":{"a":{"type":"array","items":{"type":"string"}},
        "type":{"type":"number"}},"anyOf":[{"type":"integer"}]})j"));
}

}  // namespace
}  // namespace cpa::proxy::translate::gemini_test
