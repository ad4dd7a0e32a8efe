#pragma once
// The private_key normalisation of POST /vertex/import (auth-files.md §11):
// clean the text, rebuild the PEM block when needed, require RSA and
// re-encode as a PKCS#1 "RSA PRIVATE KEY" block.
#include <string>
#include <string_view>

namespace cpa::oauth {

/// Throws std::invalid_argument with the original's message on failure.
std::string normalizePrivateKey(std::string_view raw);

}  // namespace cpa::oauth
