#pragma once
// Percent-encoding (RFC 3986) in the forms the wire needs. Each character set
// has its own function: query, form, path and request-line encodings differ.
#include <cpa/sdk/export.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cpa::sdk {

/// Every byte but the RFC 3986 unreserved ones (A-Z a-z 0-9 - . _ ~) as %XX
/// (upper-case), space as "%20": OAuth form values (what Poco::URI::encode
/// does with every reserved character named) and RFC 5987 `filename*`.
CPA_SDK_API std::string percentEncode(std::string_view text);
/// Go's url.QueryEscape: as percentEncode, but space as '+'.
CPA_SDK_API std::string queryEscape(std::string_view text);
/// Only the bytes that cannot stand on a request line (controls, space, DEL,
/// non-ASCII) as %XX; everything else as the caller wrote it.
CPA_SDK_API std::string escapeRequestTarget(std::string_view text);

/// Decodes %XX escapes; `plusIsSpace` turns '+' into ' ' (query strings).
/// nullopt on a malformed escape ("%G1", a trailing "%").
CPA_SDK_API std::optional<std::string> percentDecode(std::string_view text, bool plusIsSpace);
/// The same, but a malformed escape stays as written.
CPA_SDK_API std::string percentDecodeLenient(std::string_view text, bool plusIsSpace);

}  // namespace cpa::sdk
