#pragma once
// The model listing service, "cpa.ModelListing/1": read-only access to the
// models the data plane has registered per credential (auth-files.md §4).
// The proxy module provides it; the management API reads it. Since SDK 1.3.
#include <cpa/sdk/export.hpp>
#include <cpa/sdk/services.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cpa::sdk {

/// One model a credential offers, as the registry holds it. Empty strings
/// mean the registry entry has no such field.
struct ModelEntry {
    std::string id;
    std::string displayName;  ///< `display_name`
    std::string type;
    std::string ownedBy;      ///< `owned_by`
};

class CPA_SDK_API ModelListing {
public:
    virtual ~ModelListing();
    /// The models registered for the credential with this ID, in registration
    /// order, each id once; empty for an unknown credential. Thread-safe.
    virtual std::vector<ModelEntry> modelsForCredential(std::string_view credentialId) const = 0;
};

inline constexpr ServiceKey<ModelListing> kModelListingService{"cpa.ModelListing/1"};

}  // namespace cpa::sdk
