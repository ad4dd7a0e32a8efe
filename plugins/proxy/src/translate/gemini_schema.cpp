// Gemini schema cleaning (docs/spec/translation.md §2.5, steps 1–12).
// Unlike the original's path search over the whole document, this walks
// schema positions only (properties, items, unions), so a property that
// happens to be called "enum" or "format" is never taken for a keyword.
#include "translate/gemini_schema.hpp"

#include "translate/common.hpp"

#include <cpa/sdk/json.hpp>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace cpa::proxy::translate::gemini {

namespace {

using cpa::sdk::Value;

constexpr std::array<std::string_view, 11> kConstraints = {
    "minLength", "maxLength", "exclusiveMinimum", "exclusiveMaximum", "pattern", "minItems",
    "maxItems",  "uniqueItems", "format", "default", "examples"};

constexpr std::array<std::string_view, 14> kUnsupported = {
    "$schema", "$defs", "definitions", "const", "$ref", "$id", "additionalProperties",
    "propertyNames", "patternProperties", "enumTitles", "prefill", "deprecated", "nullable", "title"};

constexpr std::string_view kPlaceholderReason = "Brief explanation of why you are calling this tool";

/// A scalar as the hints show it: strings bare, others as JSON.
std::string scalarText(const Value& v) {
    if (v.isString()) return v.asString();
    if (v.isNull()) return "";
    return cpa::sdk::toJson(v);
}

void appendHint(Value& node, std::string_view hint) {
    const std::string existing = stringMember(node, "description");
    if (existing.empty()) node.set("description", std::string(hint));
    else if (hint.front() == '(') node.set("description", existing + " " + std::string(hint));  // no "((…))"
    else node.set("description", existing + " (" + std::string(hint) + ")");
}

std::string joined(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& s : items) {
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

void removeRequired(Value& node, const std::vector<std::string>& names) {
    Value* req = node.find("required");
    if (!req || !req->isArray()) return;
    Value kept = Value::array();
    for (const Value& r : req->asArray())
        if (!r.isString() || std::find(names.begin(), names.end(), r.asString()) == names.end()) kept.push(r);
    if (kept.size() == 0) node.erase("required");
    else *req = std::move(kept);
}

// Steps 2–6: const/enum and the keywords Gemini lacks become hints.
void hintKeywords(Value& node) {
    if (const Value* c = node.find("const"); c && !node.contains("enum")) node.set("enum", Value(Value::Array{*c}));
    if (Value* e = node.find("enum"); e && e->isArray()) {
        std::vector<std::string> values;
        Value strings = Value::array();
        for (const Value& item : e->asArray()) {
            values.push_back(scalarText(item));
            strings.push(values.back());
        }
        *e = std::move(strings);
        node.set("type", "string");  // Gemini takes enums of strings only
        if (values.size() >= 2 && values.size() <= 10) appendHint(node, "Allowed: " + joined(values, ", "));
    }
    if (const Value* ap = node.find("additionalProperties"); ap && ap->isBool() && !ap->asBool())
        appendHint(node, "No extra properties allowed");
    for (std::string_view key : kConstraints) {
        const Value* v = node.find(key);
        if (v && !v->isObject() && !v->isArray()) appendHint(node, std::string(key) + ": " + scalarText(*v));
    }
}

Value cleanNode(Value node, bool& nullable);

void cleanArrayMembers(Value& node, std::string_view key) {
    Value* arr = node.find(key);
    if (!arr || !arr->isArray()) return;
    for (Value& item : arr->asArray()) {
        bool ignored = false;
        item = cleanNode(std::move(item), ignored);
    }
}

/// Cleans every property; returns the names whose type admitted null.
std::vector<std::string> cleanProperties(Value& node) {
    std::vector<std::string> nullableNames;
    Value* props = node.find("properties");
    if (!props || !props->isObject()) return nullableNames;
    for (auto& [name, schema] : props->asObject()) {
        bool isNullable = false;
        schema = cleanNode(std::move(schema), isNullable);
        if (isNullable) {
            if (schema.isObject()) appendHint(schema, "(nullable)");
            nullableNames.push_back(name);
        }
    }
    return nullableNames;
}

// Step 7: allOf branches' properties and required lists join the parent.
void mergeAllOf(Value& node) {
    const Value* all = node.find("allOf");
    if (!all || !all->isArray()) return;
    const Value branches = *all;
    node.erase("allOf");
    for (const Value& branch : branches.asArray()) {
        if (const Value* p = member(branch, "properties"); p && p->isObject()) {
            Value& dest = node["properties"];
            if (!dest.isObject()) dest = Value::object();
            for (const auto& [k, v] : p->asObject()) dest.set(k, v);
        }
        if (const Value* r = member(branch, "required"); r && r->isArray()) {
            Value& dest = node["required"];
            if (!dest.isArray()) dest = Value::array();
            for (const Value& name : r->asArray())
                if (std::find(dest.asArray().begin(), dest.asArray().end(), name) == dest.asArray().end())
                    dest.push(name);
        }
    }
}

/// Step 8's ranking of a union branch: object 3, array 2, other type 1, null 0;
/// `type` receives the branch's type name (defaulted from its shape).
int branchScore(const Value& item, std::string& type) {
    type = stringMember(item, "type");
    if (type == "object" || member(item, "properties")) {
        if (type.empty()) type = "object";
        return 3;
    }
    if (type == "array" || member(item, "items")) {
        if (type.empty()) type = "array";
        return 2;
    }
    if (!type.empty() && type != "null") return 1;
    type = "null";
    return 0;
}

// Step 8: a union becomes its most structured branch (the first of the best).
bool flattenUnion(Value& node, std::string_view key, bool& nullable, std::vector<bool>& branchNullable) {
    const Value* arr = node.find(key);
    if (!arr || !arr->isArray() || arr->size() == 0) return false;
    std::size_t best = 0;
    int bestScore = -1;
    std::vector<std::string> types;
    for (std::size_t i = 0; i < arr->size(); ++i) {
        std::string t;
        const int score = branchScore(arr->asArray()[i], t);
        if (std::find(types.begin(), types.end(), t) == types.end()) types.push_back(t);
        if (score > bestScore) {
            bestScore = score;
            best = i;
        }
    }
    Value selected = arr->asArray()[best];
    const std::string parentDesc = stringMember(node, "description");
    const std::string childDesc = stringMember(selected, "description");
    if (!parentDesc.empty() && selected.isObject())
        selected.set("description", childDesc.empty() || childDesc == parentDesc ? parentDesc
                                                                                 : parentDesc + " (" + childDesc + ")");
    if (types.size() > 1 && selected.isObject()) appendHint(selected, "Accepts: " + joined(types, " | "));
    nullable = branchNullable[best];
    node = std::move(selected);
    return true;
}

// Step 9: a type list becomes its first non-null type.
void flattenTypeList(Value& node, bool& nullable) {
    Value* type = node.find("type");
    if (!type || !type->isArray() || type->size() == 0) return;
    std::vector<std::string> types;
    for (const Value& t : type->asArray()) {
        const std::string s = t.isString() ? t.asString() : std::string();
        if (s == "null") nullable = true;
        else if (!s.empty()) types.push_back(s);
    }
    *type = Value(types.empty() ? std::string("string") : types.front());
    if (types.size() > 1) appendHint(node, "Accepts: " + joined(types, " | "));
}

// Steps 10–12: unsupported keywords, placeholders and dangling `required` names go.
void dropUnsupported(Value& node) {
    for (std::string_view key : kConstraints) node.erase(key);
    for (std::string_view key : kUnsupported) node.erase(key);
    auto& members = node.asObject();
    std::erase_if(members, [](const Value::Member& m) { return m.first.rfind("x-", 0) == 0; });
    if (Value* props = node.find("properties"); props && props->isObject()) {
        props->erase("_");
        const Value* reason = props->find("reason");
        if (props->size() == 1 && reason && stringMember(*reason, "description") == kPlaceholderReason)
            props->erase("reason");
        if (const Value* req = node.find("required"); req && req->isArray()) {
            std::vector<std::string> missing;
            for (const Value& r : req->asArray())
                if (r.isString() && !props->contains(r.asString())) missing.push_back(r.asString());
            removeRequired(node, missing);
        }
    }
}

Value cleanNode(Value node, bool& nullable) {
    if (!node.isObject()) return node;
    if (const Value* ref = node.find("$ref"); ref && ref->isString()) {  // step 1
        const std::string& target = ref->asString();
        const std::string name = target.substr(target.rfind('/') == std::string::npos ? 0 : target.rfind('/') + 1);
        Value out = Value::object({{"type", "object"}});
        out.set("description", stringMember(node, "description"));
        if (stringMember(out, "description").empty()) out.set("description", "See: " + name);
        else appendHint(out, "See: " + name);
        return out;
    }
    hintKeywords(node);
    const std::vector<std::string> nullableNames = cleanProperties(node);
    if (Value* items = node.find("items"); items && items->isObject()) {
        bool ignored = false;
        *items = cleanNode(std::move(*items), ignored);
    } else {
        cleanArrayMembers(node, "items");
    }
    cleanArrayMembers(node, "allOf");
    mergeAllOf(node);
    for (std::string_view key : {"anyOf", "oneOf"}) {
        Value* arr = node.find(key);
        if (!arr || !arr->isArray()) continue;
        std::vector<bool> branchNullable;
        for (Value& item : arr->asArray()) {
            bool n = false;
            item = cleanNode(std::move(item), n);
            branchNullable.push_back(n);
        }
        if (flattenUnion(node, key, nullable, branchNullable)) return node;  // the branch is clean already
    }
    flattenTypeList(node, nullable);
    removeRequired(node, nullableNames);
    dropUnsupported(node);
    return node;
}

void lowerTypesIn(Value& node) {
    if (node.isArray()) {
        for (Value& item : node.asArray()) lowerTypesIn(item);
        return;
    }
    if (!node.isObject()) return;
    for (auto& [key, value] : node.asObject()) {
        if (key == "type") {
            if (value.isString()) value = Value(lowerAscii(value.asString()));
            else if (value.isArray())
                for (Value& t : value.asArray())
                    if (t.isString()) t = Value(lowerAscii(t.asString()));
        } else if (key == "properties" || key == "$defs" || key == "definitions") {
            if (value.isObject())
                for (auto& [name, schema] : value.asObject()) lowerTypesIn(schema);
        } else if (key == "items" || key == "anyOf" || key == "oneOf" || key == "allOf" || key == "not" ||
                   key == "additionalProperties" || key == "prefixItems") {
            lowerTypesIn(value);
        }
    }
}

}  // namespace

Value cleanSchema(const Value& schema) {
    bool nullable = false;
    return cleanNode(schema, nullable);
}

Value lowerSchemaTypes(Value schema) {
    lowerTypesIn(schema);
    return schema;
}

}  // namespace cpa::proxy::translate::gemini
