#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/json.hpp>
#include <cpa/sdk/testing/in_memory_config_store.hpp>

#include <stdexcept>

namespace cpa::sdk::testing {

namespace {

Value requireObject(Value root) {
    if (root.isNull()) return Value::object();
    if (!root.isObject()) throw std::invalid_argument("the top level of the config must be a mapping");
    return root;
}

// JSON is valid YAML: a readable text without a YAML emitter.
std::string renderText(const Value& root) { return toJson(root, 2) + "\n"; }

[[noreturn]] void saveFailed(const std::string& detail) {
    throw HttpError(500, "failed to save config: " + detail);
}

}  // namespace

InMemoryConfigStore::InMemoryConfigStore() : InMemoryConfigStore(Value::object()) {}

InMemoryConfigStore::InMemoryConfigStore(Value root) {
    Value doc = requireObject(std::move(root));
    std::string text = renderText(doc);
    current_ = std::make_shared<const ConfigSnapshot>(std::move(doc), std::move(text), 1);
}

InMemoryConfigStore::~InMemoryConfigStore() = default;

SnapshotPtr InMemoryConfigStore::snapshot() const {
    std::lock_guard lock(snapshotMutex_);
    return current_;
}

SnapshotPtr InMemoryConfigStore::update(const std::function<void(Value& root)>& edit) {
    std::unique_lock lock(writeMutex_);
    SnapshotPtr cur = snapshot();
    Value copy = cur->root();
    edit(copy);  // may throw: nothing published
    if (copy == cur->root()) return cur;
    try {
        if (!copy.isObject()) throw std::invalid_argument("the top level of the config must be a mapping");
        validate(copy);
    } catch (const std::exception& e) {
        saveFailed(e.what());
    }
    if (auto detail = takeFailure()) saveFailed(*detail);
    std::string text = renderText(copy);
    SnapshotPtr snap = publish(std::move(copy), std::move(text));
    {
        std::lock_guard state(stateMutex_);
        ++writes_;
    }
    lock.unlock();
    notify(snap);
    return snap;
}

SnapshotPtr InMemoryConfigStore::replaceText(const std::string& yamlText) {
    TextParser parser;
    {
        std::lock_guard state(stateMutex_);
        parser = parser_;
    }
    if (!parser) throw std::logic_error("replaceText is not supported by InMemoryConfigStore");
    std::unique_lock lock(writeMutex_);
    Value root;
    try {
        root = requireObject(parser(yamlText));
        validate(root);
    } catch (const std::exception& e) {
        throw std::invalid_argument(e.what());
    }
    if (auto detail = takeFailure()) saveFailed(*detail);
    SnapshotPtr snap = publish(std::move(root), yamlText);
    {
        std::lock_guard state(stateMutex_);
        ++writes_;
    }
    lock.unlock();
    notify(snap);
    return snap;
}

Subscription InMemoryConfigStore::subscribe(std::function<void(const SnapshotPtr&)> listener) {
    auto slot = std::make_shared<Listener>(std::move(listener));
    std::lock_guard state(stateMutex_);
    listeners_.push_back(slot);
    return slot;
}

void InMemoryConfigStore::addValidator(std::string name, std::function<void(const Value& root)> validator) {
    std::lock_guard state(stateMutex_);
    for (auto& [n, v] : validators_) {
        if (n == name) {
            v = std::move(validator);
            return;
        }
    }
    validators_.emplace_back(std::move(name), std::move(validator));
}

void InMemoryConfigStore::declare(ConfigDeclaration declaration) {
    std::lock_guard state(stateMutex_);
    for (auto& d : declarations_) {
        if (d.owner == declaration.owner) {
            d = std::move(declaration);
            return;
        }
    }
    declarations_.push_back(std::move(declaration));
}

std::vector<ConfigDeclaration> InMemoryConfigStore::declarations() const {
    std::lock_guard state(stateMutex_);
    return declarations_;
}

void InMemoryConfigStore::failNextWrite(std::string detail) {
    std::lock_guard state(stateMutex_);
    failNext_ = std::move(detail);
}

void InMemoryConfigStore::setTextParser(TextParser parser) {
    std::lock_guard state(stateMutex_);
    parser_ = std::move(parser);
}

SnapshotPtr InMemoryConfigStore::reload(Value root) {
    std::unique_lock lock(writeMutex_);
    Value doc = requireObject(std::move(root));
    validate(doc);
    std::string text = renderText(doc);
    SnapshotPtr snap = publish(std::move(doc), std::move(text));
    lock.unlock();
    notify(snap);
    return snap;
}

std::size_t InMemoryConfigStore::writeCount() const {
    std::lock_guard state(stateMutex_);
    return writes_;
}

std::vector<std::string> InMemoryConfigStore::validatorNames() const {
    std::lock_guard state(stateMutex_);
    std::vector<std::string> names;
    for (const auto& [n, v] : validators_) names.push_back(n);
    return names;
}

std::size_t InMemoryConfigStore::subscriberCount() const {
    std::lock_guard state(stateMutex_);
    std::size_t n = 0;
    for (const auto& w : listeners_) n += w.expired() ? 0 : 1;
    return n;
}

void InMemoryConfigStore::validate(const Value& root) const {
    std::vector<std::pair<std::string, Validator>> validators;
    std::vector<ConfigDeclaration> declarations;
    {
        std::lock_guard state(stateMutex_);
        validators = validators_;
        declarations = declarations_;
    }
    // Called without stateMutex_: a validator may use the store's controls.
    for (const ConfigDeclaration& d : declarations) {
        checkConfigKeys(root, d.keys);
        if (d.validate) d.validate(root);
    }
    for (const auto& [name, fn] : validators) fn(root);
}

SnapshotPtr InMemoryConfigStore::publish(Value root, std::string text) {
    std::lock_guard lock(snapshotMutex_);
    current_ = std::make_shared<const ConfigSnapshot>(std::move(root), std::move(text), current_->generation() + 1);
    return current_;
}

void InMemoryConfigStore::notify(const SnapshotPtr& snap) {
    std::vector<std::shared_ptr<Listener>> live;
    {
        std::lock_guard state(stateMutex_);
        std::vector<std::weak_ptr<Listener>> kept;
        for (auto& w : listeners_) {
            if (auto s = w.lock()) {
                live.push_back(std::move(s));
                kept.push_back(w);
            }
        }
        listeners_ = std::move(kept);
    }
    for (const auto& l : live) {
        try {
            (*l)(snap);
        } catch (...) {
            // Listeners must not throw; one that does cannot stop the others.
        }
    }
}

std::optional<std::string> InMemoryConfigStore::takeFailure() {
    std::lock_guard state(stateMutex_);
    std::optional<std::string> out = std::move(failNext_);
    failNext_.reset();
    return out;
}

}  // namespace cpa::sdk::testing
