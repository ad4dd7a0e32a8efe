// Gemini parts that requests and answers share: media, code execution,
// function-call arguments and function-response content.
#include "translate/common.hpp"
#include "translate/gemini_codec.hpp"

#include <cpa/sdk/json.hpp>

namespace cpa::proxy::translate::gemini {

using cpa::sdk::Value;

namespace {

bool startsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

Part::Kind kindForMime(std::string_view mime) {
    if (startsWith(mime, "image/")) return Part::Kind::Image;
    if (startsWith(mime, "audio/")) return Part::Kind::Audio;
    return Part::Kind::File;
}

}  // namespace

std::string mimeFromExtension(std::string_view url) {
    std::string_view path = url.substr(0, url.find_first_of("?#"));
    const auto dot = path.rfind('.');
    if (dot == std::string_view::npos || path.find('/', dot) != std::string_view::npos) return {};
    const std::string ext = lowerAscii(path.substr(dot + 1));
    if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
    if (ext == "png") return "image/png";
    if (ext == "gif") return "image/gif";
    if (ext == "webp") return "image/webp";
    if (ext == "heic") return "image/heic";
    if (ext == "heif") return "image/heif";
    if (ext == "pdf") return "application/pdf";
    if (ext == "mp3") return "audio/mpeg";
    if (ext == "wav") return "audio/wav";
    if (ext == "mp4") return "video/mp4";
    if (ext == "txt") return "text/plain";
    return {};
}

std::optional<Part> decodeMediaPart(const Value& part, const std::string& path) {
    if (const Value* inl = field(part, "inlineData", "inline_data")) {
        if (!inl->isObject()) throw TranslateError(path + ".inlineData must be an object", path + ".inlineData");
        const Value* data = member(*inl, "data");
        if (!data || !data->isString())
            throw TranslateError(path + ".inlineData.data must be a base64 string", path + ".inlineData.data");
        Part p;
        p.mimeType = stringField(*inl, "mimeType", "mime_type");
        p.kind = kindForMime(p.mimeType);
        p.data = data->asString();
        return p;
    }
    if (const Value* file = field(part, "fileData", "file_data")) {
        if (!file->isObject()) throw TranslateError(path + ".fileData must be an object", path + ".fileData");
        Part p;
        p.url = stringField(*file, "fileUri", "file_uri");
        if (p.url.empty()) throw TranslateError(path + ".fileData.fileUri is required", path + ".fileData.fileUri");
        p.mimeType = stringField(*file, "mimeType", "mime_type");
        if (p.mimeType.empty()) p.mimeType = mimeFromExtension(p.url);
        // Part::Audio carries inline data only: an audio URI stays a file.
        p.kind = startsWith(p.mimeType, "image/") ? Part::Kind::Image : Part::Kind::File;
        return p;
    }
    return std::nullopt;
}

std::optional<std::string> codeExecutionText(const Value& part) {
    if (const Value* code = field(part, "executableCode", "executable_code"); code && code->isObject())
        return "\n```" + lowerAscii(stringMember(*code, "language")) + "\n" + stringMember(*code, "code") + "\n```\n";
    if (const Value* result = field(part, "codeExecutionResult", "code_execution_result"); result && result->isObject())
        return "\n```\n" + stringMember(*result, "output") + "\n```\n";
    return std::nullopt;
}

std::string argumentsText(const Value* args) {
    if (!args) return "{}";
    if (args->isObject()) return cpa::sdk::toJson(*args);
    if (args->isString()) return cpa::sdk::toJson(argumentsObject(args->asString()));
    return "{}";
}

void decodeResponseContent(const Value& fr, Part& p) {
    const Value* resp = member(fr, "response");
    std::string text;
    if (resp && resp->isObject()) {
        const Value* output = member(*resp, "output");
        const Value* content = member(*resp, "content");
        const Value* error = member(*resp, "error");
        // {"result": text} is how Google's examples (and this codec's encoder)
        // wrap a plain text result: unwrapped so other providers get the text.
        const Value* result = resp->size() == 1 ? member(*resp, "result") : nullptr;
        if (result && result->isString()) text = result->asString();
        else if (output && output->isString()) text = output->asString();
        else if (content && content->isString()) text = content->asString();
        else if (error && !output && !content) {  // Gemini's documented error key
            p.isError = true;
            text = error->isString() ? error->asString() : cpa::sdk::toJson(*error);
        } else text = cpa::sdk::toJson(*resp);
    } else if (resp && resp->isString()) {
        text = resp->asString();
    } else if (resp && !resp->isNull()) {
        text = cpa::sdk::toJson(*resp);
    }
    p.content.push_back(Part::textPart(std::move(text)));
    // Multimodal function responses carry their media in functionResponse.parts.
    if (const Value* parts = member(fr, "parts"); parts && parts->isArray())
        for (const Value& item : parts->asArray())
            if (std::optional<Part> media = decodeMediaPart(item, "functionResponse.parts"))
                if (media->kind == Part::Kind::Image) p.content.push_back(std::move(*media));
}

}  // namespace cpa::proxy::translate::gemini
