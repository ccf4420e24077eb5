package dev.switchboard.emitapi;

import java.util.LinkedHashMap;
import java.util.Map;

/** The API's one error shape: {@code {"success":false,"error":{"code":…,"message":…}}}. */
final class ApiErrors {
    private ApiErrors() {
    }

    static byte[] bytes(String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("error", errorBody(code, message));
        return Json.bytes(body);
    }

    /** The inner {@code {code, message}} object, also used per item by {@code POST /emit/batch}. */
    static Map<String, Object> errorBody(String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        return error;
    }
}
