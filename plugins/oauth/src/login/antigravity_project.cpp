#include "login/antigravity_project.hpp"

#include "login/google_api.hpp"

namespace cpa::oauth::login {

using cpa::sdk::Value;

namespace {

Value antigravityMetadata() {
    return Value::object({{"ide_type", "ANTIGRAVITY"}, {"ide_version", "1.11.5"}, {"ide_name", "antigravity"}});
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& antigravityCodeAssistHeaders() {
    static const std::vector<std::pair<std::string, std::string>> headers = {
        {"User-Agent", "antigravity/1.11.5 linux/amd64"}, {"X-Goog-Api-Client", "gl-node/22.21.1"}};
    return headers;
}

std::string discoverAntigravityProject(const std::string& codeAssistUrl, const CodeAssistPost& post,
                                       const std::function<bool()>& pause) {
    const Value load = post(codeAssistUrl + "/v1internal:loadCodeAssist", Value::object({{"metadata", antigravityMetadata()}}));
    if (std::string project = companionProject(load); !project.empty()) return project;
    const Value onboard = Value::object({{"tierId", defaultTier(load)}, {"metadata", antigravityMetadata()}});
    for (int attempt = 1; attempt <= 5; ++attempt) {
        const Value resp = post(codeAssistUrl + "/v1internal:onboardUser", onboard);
        if (const Value* done = resp.find("done"); done != nullptr && done->boolOr(false)) {
            const Value* r = resp.find("response");
            return r == nullptr ? std::string{} : companionProject(*r);
        }
        if (attempt < 5 && !pause()) break;
    }
    return {};
}

}  // namespace cpa::oauth::login
