#pragma once
// Chat content parts ↔ canonical parts (docs/spec/translation.md §2.4, "OpenAI chat"):
// text, image_url (data URL or https), file (file_data data URL), input_audio.
#include "translate/ir.hpp"

#include <cpa/sdk/value.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cpa::proxy::translate::chat {

/// A message `content` (string, array of parts, null/absent) → parts. A string
/// becomes one Text part; an empty string only when `keepEmptyString`.
/// Throws TranslateError (param = `path`) for content of the wrong shape.
std::vector<Part> decodeContent(const cpa::sdk::Value* content, const std::string& path, bool keepEmptyString);

/// One content part (a string, or an object with `type`) → a part.
Part decodeContentPart(const cpa::sdk::Value& item, const std::string& path);

/// One Text / Image / File / Audio part → a chat content part. Throws
/// TranslateError for what chat cannot carry (a file by URL, audio other than wav/mp3).
cpa::sdk::Value encodePart(const Part& part);
/// Text / Image / File / Audio parts → a `content` value: the text itself when
/// the parts are a single Text, else an array of chat parts.
cpa::sdk::Value encodeContent(const std::vector<const Part*>& parts);

}  // namespace cpa::proxy::translate::chat
