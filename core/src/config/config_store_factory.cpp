#include "config/config_store_factory.hpp"

#include "config/atomic_file.hpp"
#include "config/config_parse.hpp"
#include "config/pg/pg_config_authority.hpp"
#include "config/pg/pg_connection.hpp"

#include <unistd.h>

#include <cstdlib>
#include <system_error>

namespace cpa::core {

StoreSettings readStoreSettings(const sdk::Value& root, const char* envDsn) {
    StoreSettings out;
    const sdk::Value* store = root.find("store");
    if (store != nullptr && store->isObject()) {
        const sdk::Value* type = store->find("type");
        const std::string t = type != nullptr && type->isString() ? type->asString() : "file";
        if (t == "postgres") {
            out.type = StoreSettings::Type::Postgres;
        } else if (t != "file") {
            throw ConfigLoadError("store.type: expected file or postgres, got '" + t + "'");
        }
        const sdk::Value* dsn = store->find("dsn");
        if (dsn != nullptr && dsn->isString()) out.dsn = dsn->asString();
    }
    if (envDsn != nullptr && *envDsn != '\0') {
        out.type = StoreSettings::Type::Postgres;
        out.dsn = envDsn;
    }
    if (out.type == StoreSettings::Type::Postgres && out.dsn.empty()) {
        throw ConfigLoadError("store.type is postgres but no connection string: set store.dsn or CPA_STORE_DSN");
    }
    return out;
}

std::string instanceName() {
    if (const char* id = std::getenv("CPA_INSTANCE_ID"); id != nullptr && *id != '\0') return id;
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    return std::string(host) + ":" + std::to_string(::getpid());
}

namespace {

StoreSettings bootstrapSettings(const std::string& path) {
    try {
        // Only `store` matters here; FileConfigStore reports every other problem.
        const ParsedConfig boot = parseConfigYaml(readWholeFile(path, sdk::kMaxConfigDocumentBytes + 1));
        return readStoreSettings(boot.root, std::getenv("CPA_STORE_DSN"));
    } catch (const ConfigLoadError& e) {
        throw ConfigLoadError(path + ": " + e.what());
    } catch (const std::exception&) {
        return readStoreSettings(sdk::Value(), std::getenv("CPA_STORE_DSN"));
    }
}

}  // namespace

std::shared_ptr<FileConfigStore> openConfigStore(const std::string& path, sdk::Logger& storeLog,
                                                 sdk::Logger& startupLog, StoreSettings* settingsOut) {
    const StoreSettings settings = bootstrapSettings(path);
    if (settingsOut != nullptr) *settingsOut = settings;
    if (settings.type == StoreSettings::Type::File) return FileConfigStore::open(path, storeLog);
    std::shared_ptr<ConfigAuthority> authority;
    try {
        authority = pg::openPgConfigAuthority(settings.dsn, instanceName(), startupLog);
    } catch (const StoreUnavailable& e) {
        throw ConfigLoadError(std::string("config store: ") + e.what());
    }
    return FileConfigStore::openShared(path, storeLog, std::move(authority));
}

namespace {

class SharedStoreService final : public sdk::SharedStore {
public:
    explicit SharedStoreService(std::string dsn)
        : dsn_(std::move(dsn)), description_(pg::describeDsn(dsn_)), instance_(instanceName()) {}
    std::string kind() const override { return "postgres"; }
    std::string connectionString() const override { return dsn_; }
    std::string describe() const override { return description_; }
    std::string instance() const override { return instance_; }

private:
    const std::string dsn_;
    const std::string description_;
    const std::string instance_;
};

}  // namespace

std::shared_ptr<sdk::SharedStore> makeSharedStoreService(const StoreSettings& settings) {
    if (settings.type != StoreSettings::Type::Postgres) return nullptr;
    return std::make_shared<SharedStoreService>(settings.dsn);
}

std::uint64_t importIntoSharedStore(const std::string& path, sdk::Logger& log) {
    const StoreSettings settings = bootstrapSettings(path);
    if (settings.type != StoreSettings::Type::Postgres) {
        throw ConfigLoadError(path + " selects no shared store: add store: {type: postgres, dsn: \"...\"} "
                              "or set CPA_STORE_DSN");
    }
    std::shared_ptr<ConfigAuthority> authority;
    try {
        authority = pg::openPgConfigAuthority(settings.dsn, instanceName() + " (store import)", log, 3);
    } catch (const StoreUnavailable& e) {
        throw ConfigLoadError(std::string("config store: ") + e.what());
    }
    const auto store = FileConfigStore::openShared(path, log, authority, true);
    try {
        return authority->read().version;
    } catch (const StoreUnavailable& e) {
        throw ConfigLoadError(std::string("config store: ") + e.what());
    }
}

}  // namespace cpa::core
