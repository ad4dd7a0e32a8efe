// Chat content parts in both directions (docs/spec/translation.md §2.4).
#include "translate/chat_content.hpp"

#include "translate/codec.hpp"
#include "translate/common.hpp"

namespace cpa::proxy::translate::chat {

namespace {

using cpa::sdk::Value;

Part imageFromUrl(const std::string& url) {
    Part p;
    p.kind = Part::Kind::Image;
    if (auto d = parseDataUrl(url)) {
        p.mimeType = std::move(d->mimeType);
        p.data = std::move(d->data);
    } else {
        p.url = url;
    }
    return p;
}

Part decodeImage(const Value& item, const std::string& path) {
    const Value* iu = member(item, "image_url");
    std::string url = iu && iu->isString() ? iu->asString() : (iu ? stringMember(*iu, "url") : std::string());
    if (url.empty()) throw TranslateError(path + ".image_url.url is required", path + ".image_url.url");
    return imageFromUrl(url);
}

std::string mimeForFilename(std::string_view name) {
    const auto dot = name.rfind('.');
    const std::string ext = dot == std::string_view::npos ? std::string() : lowerAscii(name.substr(dot + 1));
    if (ext == "pdf") return "application/pdf";
    if (ext == "txt") return "text/plain";
    if (ext == "png") return "image/png";
    if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
    return "application/octet-stream";
}

Part decodeFile(const Value& item, const std::string& path) {
    const Value* f = member(item, "file");
    if (!f || !f->isObject()) throw TranslateError(path + ".file must be an object", path + ".file");
    Part p;
    p.kind = Part::Kind::File;
    p.filename = stringMember(*f, "filename");
    const std::string fileData = stringMember(*f, "file_data");
    if (fileData.empty()) {
        // An uploaded file id only means something to OpenAI itself.
        if (!stringMember(*f, "file_id").empty())
            throw TranslateError("file parts that reference a file_id cannot be translated; send file_data",
                                 path + ".file.file_id");
        throw TranslateError(path + ".file.file_data is required", path + ".file.file_data");
    }
    if (auto d = parseDataUrl(fileData)) {
        p.mimeType = std::move(d->mimeType);
        p.data = std::move(d->data);
    } else {  // bare base64
        p.mimeType = mimeForFilename(p.filename);
        p.data = fileData;
    }
    return p;
}

Part decodeAudio(const Value& item, const std::string& path) {
    const Value* a = member(item, "input_audio");
    if (!a || !a->isObject()) throw TranslateError(path + ".input_audio must be an object", path + ".input_audio");
    Part p;
    p.kind = Part::Kind::Audio;
    p.data = stringMember(*a, "data");
    const std::string format = lowerAscii(stringMember(*a, "format"));
    p.mimeType = format == "mp3" ? "audio/mpeg" : "audio/" + (format.empty() ? std::string("wav") : format);
    return p;
}

}  // namespace

Part decodeContentPart(const Value& item, const std::string& path) {
    if (item.isString()) return Part::textPart(item.asString());
    if (!item.isObject()) throw TranslateError(path + " must be an object", path);
    const std::string type = stringMember(item, "type");
    if (type == "text" || (type.empty() && member(item, "text"))) return Part::textPart(stringMember(item, "text"));
    if (type == "refusal") return Part::textPart(stringMember(item, "refusal"));
    if (type == "image_url") return decodeImage(item, path);
    if (type == "file") return decodeFile(item, path);
    if (type == "input_audio") return decodeAudio(item, path);
    throw TranslateError("unsupported content part type \"" + type + "\"", path + ".type");
}

namespace {

std::string audioFormat(const Part& p) {
    const std::string mime = lowerAscii(p.mimeType);
    if (mime == "audio/wav" || mime == "audio/x-wav" || mime == "audio/wave") return "wav";
    if (mime == "audio/mpeg" || mime == "audio/mp3") return "mp3";
    throw TranslateError("OpenAI chat accepts only wav and mp3 audio, not \"" + p.mimeType + "\"");
}

}  // namespace

std::vector<Part> decodeContent(const Value* content, const std::string& path, bool keepEmptyString) {
    std::vector<Part> parts;
    if (!content || content->isNull()) return parts;
    if (content->isString()) {
        if (keepEmptyString || !content->asString().empty()) parts.push_back(Part::textPart(content->asString()));
        return parts;
    }
    if (!content->isArray())
        throw TranslateError(path + " must be a string or an array of content parts", path);
    for (std::size_t i = 0; i < content->size(); ++i)
        parts.push_back(decodeContentPart(content->asArray()[i], path + "[" + std::to_string(i) + "]"));
    return parts;
}

Value encodePart(const Part& p) {
    switch (p.kind) {
        case Part::Kind::Text:
            return Value::object({{"type", "text"}, {"text", p.text}});
        case Part::Kind::Image: {
            const std::string url = p.url.empty() ? makeDataUrl(p.mimeType, p.data) : p.url;
            return Value::object({{"type", "image_url"}, {"image_url", Value::object({{"url", url}})}});
        }
        case Part::Kind::File: {
            if (p.data.empty()) throw TranslateError("OpenAI chat cannot take a file by URL (" + p.url + ")");
            Value file = Value::object({{"file_data", makeDataUrl(p.mimeType, p.data)}});
            if (!p.filename.empty()) file.set("filename", p.filename);
            return Value::object({{"type", "file"}, {"file", std::move(file)}});
        }
        case Part::Kind::Audio:
            return Value::object({{"type", "input_audio"},
                                  {"input_audio", Value::object({{"data", p.data}, {"format", audioFormat(p)}})}});
        default:
            throw TranslateError("this content cannot be written as an OpenAI chat content part");
    }
}

Value encodeContent(const std::vector<const Part*>& parts) {
    if (parts.size() == 1 && parts[0]->kind == Part::Kind::Text) return parts[0]->text;
    Value out = Value::array();
    for (const Part* p : parts) out.push(encodePart(*p));
    return out;
}

}  // namespace cpa::proxy::translate::chat
