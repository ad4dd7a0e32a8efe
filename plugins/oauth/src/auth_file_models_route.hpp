#pragma once
// GET /v0/management/auth-files/models (auth-files.md §4): the models the
// data plane registered for one credential, read through the
// "cpa.ModelListing/1" service (absent without the proxy module).
#include <cpa/sdk/credentials.hpp>
#include <cpa/sdk/http.hpp>
#include <cpa/sdk/services.hpp>

#include <memory>
#include <string>

namespace cpa::oauth {

/// The credential ID `name` stands for: a file credential whose file name or
/// ID equals it exactly, else `name` itself (config credentials go by ID).
std::string credentialIdForName(const sdk::CredentialStore& store, const std::string& name);

/// {"models":[{"display_name","id","owned_by","type"}...]}, empty fields left
/// out; {"models":[]} when no listing service is provided or nothing is registered.
sdk::Value authFileModels(const sdk::Services& services, const sdk::CredentialStore& store, const std::string& name);

/// `services` must outlive the router (the core clears routes before services).
void registerAuthFileModelsRoute(sdk::RouteRegistry& routes, std::shared_ptr<const sdk::CredentialStore> store,
                                 const sdk::Services& services);

}  // namespace cpa::oauth
