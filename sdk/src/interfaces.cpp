// Key functions of every SDK interface: defining the destructors here puts
// each vtable and typeinfo once, exported, in libcpa_sdk.so, so that
// dynamic_cast and exceptions work across the plugin boundary.
#include <cpa/sdk/config.hpp>
#include <cpa/sdk/credentials.hpp>
#include <cpa/sdk/http.hpp>
#include <cpa/sdk/module.hpp>
#include <cpa/sdk/services.hpp>

namespace cpa::sdk {

Request::~Request() = default;
StreamWriter::~StreamWriter() = default;
Response::~Response() = default;
bool Response::clientGone() const { return false; }

Middleware::~Middleware() = default;
void Middleware::onComplete(const Request&, const Response&) noexcept {}

RouteRegistry::~RouteRegistry() = default;
void RouteRegistry::setBodyLimit(Method, const std::string&, std::size_t) {}
ConfigStore::~ConfigStore() = default;
Services::~Services() = default;
Events::~Events() = default;
Logger::~Logger() = default;
ModuleContext::~ModuleContext() = default;
Module::~Module() = default;
CredentialStore::~CredentialStore() = default;

}  // namespace cpa::sdk
