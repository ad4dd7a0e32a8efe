#include "registry/model_listing_adapter.hpp"

namespace cpa::proxy {

namespace {
std::string field(const sdk::Value& info, std::string_view key) {
    const sdk::Value* v = info.find(key);
    return v ? v->stringOr("") : std::string();
}
}  // namespace

sdk::ModelEntry modelEntryOf(const sdk::Value& info) {
    return {field(info, "id"), field(info, "display_name"), field(info, "type"), field(info, "owned_by")};
}

std::vector<sdk::ModelEntry> ModelListingAdapter::modelsForCredential(std::string_view credentialId) const {
    std::vector<sdk::ModelEntry> out;
    for (const sdk::Value& info : registry_.modelsOf(std::string(credentialId))) out.push_back(modelEntryOf(info));
    return out;
}

}  // namespace cpa::proxy
