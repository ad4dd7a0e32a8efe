#include "config/yaml_limits.hpp"

#include "config/config_parse.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <vector>

namespace cpa::core {
namespace {

/// Counts nodes as the tree would hold them once aliases are expanded. Each
/// open collection accumulates its subtree's size so an anchor on it knows
/// what a later alias costs; nothing else is stored.
class NodeCounter final : public YAML::EventHandler {
public:
    explicit NodeCounter(const YamlLimits& limits) : limits_(limits) {}

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string&) override {
        leaf(mark, anchor);
    }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        const std::size_t size = anchor < anchorSizes_.size() ? anchorSizes_[anchor] : 1;
        aliasNodes_ += size;
        if (aliasNodes_ > limits_.maxAliasExpansion) {
            fail(mark, "aliases expand to more than " + std::to_string(limits_.maxAliasExpansion) +
                           " nodes (the alias expansion limit)");
        }
        add(mark, size);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        open(mark, anchor);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        open(mark, anchor);
    }
    void OnMapEnd() override { close(); }

private:
    struct Open {
        YAML::anchor_t anchor;
        std::size_t size;  // this node and everything below it so far
    };

    [[noreturn]] void fail(const YAML::Mark& mark, const std::string& what) const {
        throw ConfigTextError("line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1) +
                              ": document exceeds a limit: " + what);
    }

    void add(const YAML::Mark& mark, std::size_t n) {
        total_ += n;
        if (total_ > limits_.maxNodes) {
            fail(mark, "more than " + std::to_string(limits_.maxNodes) + " nodes (the node limit)");
        }
        if (!stack_.empty()) stack_.back().size += n;
    }

    void remember(YAML::anchor_t anchor, std::size_t size) {
        if (anchor == YAML::NullAnchor) return;
        if (anchorSizes_.size() <= anchor) anchorSizes_.resize(anchor + 1, 1);
        anchorSizes_[anchor] = size;
    }

    void leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
        add(mark, 1);
        remember(anchor, 1);
    }

    void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
        total_ += 1;
        if (total_ > limits_.maxNodes) {
            fail(mark, "more than " + std::to_string(limits_.maxNodes) + " nodes (the node limit)");
        }
        stack_.push_back({anchor, 1});
    }

    void close() {
        if (stack_.empty()) return;
        const Open done = stack_.back();
        stack_.pop_back();
        remember(done.anchor, done.size);
        if (!stack_.empty()) stack_.back().size += done.size;
    }

    const YamlLimits& limits_;
    std::size_t total_ = 0;
    std::size_t aliasNodes_ = 0;
    std::vector<Open> stack_;
    std::vector<std::size_t> anchorSizes_;  // by yaml-cpp's anchor id (1, 2, ...)
};

}  // namespace

void checkYamlLimits(const std::string& text, const YamlLimits& limits) {
    if (text.size() > limits.maxBytes) {
        throw ConfigTextError("document exceeds a limit: " + std::to_string(text.size()) + " bytes, more than " +
                              std::to_string(limits.maxBytes) + " (the size limit)");
    }
    std::istringstream in(text);
    NodeCounter counter(limits);
    try {
        YAML::Parser parser(in);
        parser.HandleNextDocument(counter);  // YAML::Load reads only the first document too
    } catch (const YAML::Exception& e) {
        throw ConfigTextError("line " + std::to_string(e.mark.line + 1) + ", column " +
                              std::to_string(e.mark.column + 1) + ": " + e.msg);
    }
}

}  // namespace cpa::core
