#include "config/config_render.hpp"

#include "config/yaml_value.hpp"

#include <algorithm>
#include <map>
#include <vector>

namespace cpa::core {
namespace {

using Lines = std::vector<std::string>;  // each with its line ending, if any

Lines splitLines(const std::string& text) {
    Lines out;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto nl = text.find('\n', start);
        if (nl == std::string::npos) {
            out.push_back(text.substr(start));
            break;
        }
        out.push_back(text.substr(start, nl + 1 - start));
        start = nl + 1;
    }
    return out;
}

/// The line without "\n" / "\r\n".
std::string_view content(const std::string& line) {
    std::string_view v = line;
    if (!v.empty() && v.back() == '\n') v.remove_suffix(1);
    if (!v.empty() && v.back() == '\r') v.remove_suffix(1);
    return v;
}

bool isDocumentMarker(const std::string& line) {
    const std::string_view c = content(line);
    if (c.size() < 3) return false;
    if (c.substr(0, 3) != "---" && c.substr(0, 3) != "...") return false;
    return c.size() == 3 || c[3] == ' ' || c[3] == '\t';
}

/// Blank, or a comment starting at or left of the top-level key column:
/// such lines belong to what follows, not to the key block above them.
bool isTrailingFiller(const std::string& line, std::size_t indent) {
    const std::string_view c = content(line);
    const auto first = c.find_first_not_of(" \t");
    if (first == std::string_view::npos) return true;
    return c[first] == '#' && first <= indent;
}

/// A comment line at any indentation, or a blank line.
bool isCommentOrBlank(const std::string& line) {
    const std::string_view c = content(line);
    const auto first = c.find_first_not_of(" \t");
    return first == std::string_view::npos || c[first] == '#';
}

/// Whether the key line opens a literal/folded block scalar ("key: |", "key: >-"),
/// whose "#" lines are content, not comments.
bool opensBlockScalar(const std::string& keyLine) {
    const std::string_view c = content(keyLine);
    const auto colon = c.find(':');
    if (colon == std::string_view::npos) return false;
    const auto v = c.find_first_not_of(" \t", colon + 1);
    return v != std::string_view::npos && (c[v] == '|' || c[v] == '>');
}

struct KeySpan {
    int keyLine = 0;
    int begin = 0;  // first line of the block
    int end = 0;    // one past the last line of the block
    YAML::Node value;
};

struct Layout {
    bool safe = false;
    std::size_t indent = 0;
    std::map<std::string, KeySpan> spans;
    int insertAt = 0;  // where new keys go: end of the mapping's text
};

Layout analyse(const Lines& lines, const YAML::Node& root) {
    Layout out;
    const int total = static_cast<int>(lines.size());
    out.insertAt = total;
    if (!root.IsDefined() || root.IsNull()) {
        // Empty or comment-only document: new keys go before a "..."/second document, if any.
        for (int i = 0; i < total; ++i) {
            if (isDocumentMarker(lines[static_cast<std::size_t>(i)]) && content(lines[static_cast<std::size_t>(i)]).substr(0, 3) == "...") {
                out.insertAt = i;
                break;
            }
        }
        out.safe = true;
        return out;
    }
    if (!root.IsMap() || root.Style() == YAML::EmitterStyle::Flow) return out;

    std::vector<std::pair<std::string, KeySpan>> ordered;
    int prevLine = -1;
    bool first = true;
    for (const auto& kv : root) {
        if (!kv.first.IsScalar()) return out;
        const auto mark = kv.first.Mark();
        if (mark.line <= prevLine || mark.line < 0 || mark.line >= total) return out;
        const std::size_t col = static_cast<std::size_t>(mark.column);
        if (first) {
            out.indent = col;
            first = false;
        } else if (col != out.indent) {
            return out;
        }
        const std::string_view c = content(lines[static_cast<std::size_t>(mark.line)]);
        if (col > c.size() || c.substr(0, col).find_first_not_of(' ') != std::string_view::npos) return out;
        KeySpan span;
        span.keyLine = span.begin = mark.line;
        span.value = kv.second;
        ordered.emplace_back(kv.first.Scalar(), span);
        prevLine = mark.line;
    }
    if (ordered.empty()) return out;
    for (int i = prevLine + 1; i < total; ++i) {
        if (isDocumentMarker(lines[static_cast<std::size_t>(i)])) {
            out.insertAt = i;
            break;
        }
    }
    for (std::size_t i = 0; i < ordered.size(); ++i) {
        KeySpan& span = ordered[i].second;
        int end = i + 1 < ordered.size() ? ordered[i + 1].second.begin : out.insertAt;
        // Trailing comments stay outside the block (at any indentation, D3),
        // except inside a block scalar where "#" lines are content.
        const bool blockScalar = opensBlockScalar(lines[static_cast<std::size_t>(span.keyLine)]);
        while (end - 1 > span.begin &&
               (blockScalar ? isTrailingFiller(lines[static_cast<std::size_t>(end - 1)], out.indent)
                            : isCommentOrBlank(lines[static_cast<std::size_t>(end - 1)])))
            --end;
        span.end = end;
        out.spans.emplace(ordered[i].first, span);
    }
    out.safe = out.spans.size() == ordered.size();
    return out;
}

/// Where a single-line scalar's text ends on its line (one past), or npos.
std::size_t scalarExtent(std::string_view line, std::size_t col, const YAML::Node& node, char& style) {
    if (col >= line.size()) return std::string_view::npos;
    style = line[col];
    std::size_t end = std::string_view::npos;
    if (style == '\'') {
        for (std::size_t i = col + 1; i < line.size(); ++i) {
            if (line[i] != '\'') continue;
            if (i + 1 < line.size() && line[i + 1] == '\'') {
                ++i;
                continue;
            }
            end = i + 1;
            break;
        }
    } else if (style == '"') {
        for (std::size_t i = col + 1; i < line.size(); ++i) {
            if (line[i] == '\\') {
                ++i;
            } else if (line[i] == '"') {
                end = i + 1;
                break;
            }
        }
    } else {
        if (node.Tag() != "?") return std::string_view::npos;  // tagged or otherwise decorated
        style = 0;
        std::string_view rest = line.substr(col);
        std::size_t cut = rest.size();
        for (std::size_t i = 1; i < rest.size(); ++i) {
            if (rest[i] == '#' && (rest[i - 1] == ' ' || rest[i - 1] == '\t')) {
                cut = i;
                break;
            }
        }
        rest = rest.substr(0, cut);
        while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) rest.remove_suffix(1);
        if (rest != node.Scalar()) return std::string_view::npos;  // multi-line or not what we think
        end = col + rest.size();
    }
    if (end == std::string_view::npos) return end;
    const std::string_view after = line.substr(end);
    const auto next = after.find_first_not_of(" \t");
    if (next != std::string_view::npos && after[next] != '#') return std::string_view::npos;
    return end;
}

std::string quoteSingle(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        out += c;
        if (c == '\'') out += '\'';
    }
    return out + "'";
}

bool hasControl(const std::string& s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

/// Scalar text in the old value's quoting style where that is possible.
std::optional<std::string> scalarText(const sdk::Value& v, char style) {
    if (v.isString() && style == '\'' && !hasControl(v.asString())) return quoteSingle(v.asString());
    if (v.isString() && style == '"') {
        YAML::Emitter e;
        e << YAML::DoubleQuoted << v.asString();
        if (!e.good()) return std::nullopt;
        std::string out = e.c_str();
        if (out.find('\n') != std::string::npos) return std::nullopt;
        return out;
    }
    return emitInlineScalar(v);
}

/// The line with the scalar value node replaced, or nullopt.
std::optional<std::string> replaceOnLine(const std::string& line, const YAML::Node& node, const sdk::Value& v) {
    if (!node.IsScalar()) return std::nullopt;
    const std::string_view c = content(line);
    const auto col = static_cast<std::size_t>(node.Mark().column);
    char style = 0;
    const std::size_t end = scalarExtent(c, col, node, style);
    if (end == std::string_view::npos) return std::nullopt;
    const auto text = scalarText(v, style);
    if (!text) return std::nullopt;
    return std::string(c.substr(0, col)) + *text + std::string(c.substr(end)) + line.substr(c.size());
}

std::string adaptBlock(std::string block, std::size_t indent, bool crlf) {
    if (indent == 0 && !crlf) return block;
    std::string out;
    const std::string pad(indent, ' ');
    std::size_t start = 0;
    while (start < block.size()) {
        auto nl = block.find('\n', start);
        if (nl == std::string::npos) nl = block.size();
        const std::string line = block.substr(start, nl - start);
        if (!line.empty()) out += pad;
        out += line;
        out += crlf ? "\r\n" : "\n";
        start = nl + 1;
    }
    return out;
}

struct Op {
    int begin, end;
    std::string text;
};

/// Line edits for a change inside a block mapping that only replaces scalar
/// values (at any depth, same keys): one op per changed scalar's line, so
/// comments and siblings inside the mapping stay (D3). False when the change
/// is anything else; the caller then rewrites the whole block.
bool scalarEditsInMapping(const Lines& lines, const YAML::Node& oldNode, const sdk::Value& oldValue,
                          const sdk::Value& newValue, std::vector<Op>& ops) {
    if (!oldNode.IsMap() || oldNode.Style() == YAML::EmitterStyle::Flow) return false;
    if (!oldValue.isObject() || !newValue.isObject() || oldValue.size() != newValue.size()) return false;
    for (const auto& kv : oldNode) {
        if (!kv.first.IsScalar()) return false;
        const sdk::Value* was = oldValue.find(kv.first.Scalar());
        const sdk::Value* now = newValue.find(kv.first.Scalar());
        if (!was || !now) return false;
        if (sameValue(*was, *now)) continue;
        if (was->isObject() && now->isObject()) {
            if (!scalarEditsInMapping(lines, kv.second, *was, *now, ops)) return false;
            continue;
        }
        const int line = kv.second.Mark().line;
        if (!kv.second.IsScalar() || line != kv.first.Mark().line || line < 0 ||
            line >= static_cast<int>(lines.size())) {
            return false;
        }
        auto replaced = replaceOnLine(lines[static_cast<std::size_t>(line)], kv.second, *now);
        if (!replaced) return false;
        ops.push_back({line, line + 1, std::move(*replaced)});
    }
    return true;
}

}  // namespace

std::string renderEdited(const std::string& oldText, const YAML::Node& oldNode, const sdk::Value& oldRoot,
                         const sdk::Value& newRoot) {
    Lines lines = splitLines(oldText);
    const Layout layout = analyse(lines, oldNode);
    if (!layout.safe || !oldRoot.isObject() || !newRoot.isObject()) return emitDocument(newRoot);
    const bool crlf = !lines.empty() && lines.front().size() >= 2 && lines.front().ends_with("\r\n");

    std::vector<Op> ops;
    for (const auto& [key, oldValue] : oldRoot.asObject()) {
        const auto it = layout.spans.find(key);
        if (it == layout.spans.end()) return emitDocument(newRoot);
        const KeySpan& span = it->second;
        const sdk::Value* newValue = newRoot.find(key);
        if (!newValue) {
            ops.push_back({span.begin, span.end, ""});
            continue;
        }
        if (sameValue(oldValue, *newValue)) continue;
        if (std::vector<Op> inner; scalarEditsInMapping(lines, span.value, oldValue, *newValue, inner)) {
            for (Op& op : inner) ops.push_back(std::move(op));
            continue;
        }
        if (span.end == span.begin + 1 && span.value.IsScalar() && span.value.Mark().line == span.keyLine) {
            if (auto line = replaceOnLine(lines[static_cast<std::size_t>(span.begin)], span.value, *newValue)) {
                ops.push_back({span.begin, span.end, *line});
                continue;
            }
        }
        ops.push_back({span.begin, span.end, adaptBlock(emitKeyBlock(key, *newValue), layout.indent, crlf)});
    }
    std::string appended;
    for (const auto& [key, value] : newRoot.asObject()) {
        if (!oldRoot.find(key)) appended += adaptBlock(emitKeyBlock(key, value), layout.indent, crlf);
    }
    if (!appended.empty()) {
        if (layout.insertAt > 0) {
            std::string& last = lines[static_cast<std::size_t>(layout.insertAt - 1)];
            if (last.empty() || last.back() != '\n') last += crlf ? "\r\n" : "\n";
        }
        ops.push_back({layout.insertAt, layout.insertAt, appended});
    }
    std::sort(ops.begin(), ops.end(), [](const Op& a, const Op& b) { return a.begin < b.begin; });

    std::string out;
    out.reserve(oldText.size() + appended.size() + 64);
    int line = 0;
    const int total = static_cast<int>(lines.size());
    for (const Op& op : ops) {
        for (; line < op.begin; ++line) out += lines[static_cast<std::size_t>(line)];
        out += op.text;
        line = std::max(line, op.end);
    }
    for (; line < total; ++line) out += lines[static_cast<std::size_t>(line)];
    return out;
}

std::optional<std::string> replaceScalarText(const std::string& text, const YAML::Node& valueNode,
                                             const std::string& newValue) {
    if (!valueNode.IsScalar()) return std::nullopt;
    Lines lines = splitLines(text);
    const int lineNo = valueNode.Mark().line;
    if (lineNo < 0 || lineNo >= static_cast<int>(lines.size())) return std::nullopt;
    auto replaced = replaceOnLine(lines[static_cast<std::size_t>(lineNo)], valueNode, sdk::Value(newValue));
    if (!replaced) return std::nullopt;
    lines[static_cast<std::size_t>(lineNo)] = *replaced;
    std::string out;
    for (const auto& l : lines) out += l;
    return out;
}

}  // namespace cpa::core
