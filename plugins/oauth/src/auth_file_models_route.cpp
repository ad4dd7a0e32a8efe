#include "auth_file_models_route.hpp"

#include <cpa/sdk/errors.hpp>
#include <cpa/sdk/model_listing.hpp>

namespace cpa::oauth {

std::string credentialIdForName(const sdk::CredentialStore& store, const std::string& name) {
    // The original searches every credential by file name or ID. A file
    // credential's ID is its file name (credentials.hpp), so one lookup by
    // name covers both; config credentials only have IDs.
    if (sdk::FileCredentialPtr f = store.findByName(name)) return f->id;
    return name;
}

sdk::Value authFileModels(const sdk::Services& services, const sdk::CredentialStore& store, const std::string& name) {
    sdk::Value models = sdk::Value::array();
    // Looked up per request: the data plane may be absent (no proxy module).
    auto listing = services.get(sdk::kModelListingService);
    if (!listing) return sdk::Value::object({{"models", std::move(models)}});
    for (const sdk::ModelEntry& m : listing->modelsForCredential(credentialIdForName(store, name))) {
        // The original writes a map: keys in alphabetical order.
        sdk::Value entry = sdk::Value::object();
        if (!m.displayName.empty()) entry.set("display_name", m.displayName);
        entry.set("id", m.id);
        if (!m.ownedBy.empty()) entry.set("owned_by", m.ownedBy);
        if (!m.type.empty()) entry.set("type", m.type);
        models.push(std::move(entry));
    }
    return sdk::Value::object({{"models", std::move(models)}});
}

void registerAuthFileModelsRoute(sdk::RouteRegistry& routes, std::shared_ptr<const sdk::CredentialStore> store,
                                 const sdk::Services& services) {
    routes.route(sdk::Method::Get, std::string(sdk::kManagementBase) + "/auth-files/models", sdk::Access::Management,
                 [store, &services](sdk::Request& req, sdk::Response& res) {
                     const std::string name = req.query("name").value_or("");
                     if (name.empty()) throw sdk::HttpError(400, "name is required");
                     res.json(200, authFileModels(services, *store, name));
                 });
}

}  // namespace cpa::oauth
