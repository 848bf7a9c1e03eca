package dev.greenlight.local.host.testapp;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;

import java.util.Map;
import java.util.Optional;

/** Bodies of several kinds, none with a Content-Type, selected by the route parameter. */
public class Texts {

    @FunctionName("Texts")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "texts/{kind:alpha}") HttpRequestMessage<Optional<String>> request,
            @BindingName("kind") String kind) {
        Object body = switch (kind) {
            case "plain" -> "ok";
            case "json" -> "{\"ok\":true}";
            case "bytes" -> new byte[] {1, 2, 3};
            case "object" -> Map.of("ok", true);
            case "none" -> null;
            default -> "unknown";
        };
        HttpStatus status = body == null ? HttpStatus.NO_CONTENT : HttpStatus.OK;
        return request.createResponseBuilder(status).body(body).build();
    }
}
