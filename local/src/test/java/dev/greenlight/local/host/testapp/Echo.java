package dev.greenlight.local.host.testapp;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;

import java.util.Optional;

/** Echoes what it was given: route parameter, method, body, a query value, a header. */
public class Echo {

    @FunctionName("Echo")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET, HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "echo/{name}") HttpRequestMessage<Optional<String>> request,
            @BindingName("name") String name, ExecutionContext context) {
        String json = "{\"name\":" + Json.quote(name)
                + ",\"method\":" + Json.quote(request.getHttpMethod().name())
                + ",\"body\":" + Json.quote(request.getBody().orElse(null))
                + ",\"q\":" + Json.quote(request.getQueryParameters().get("q"))
                + ",\"header\":" + Json.quote(request.getHeaders().get("X-Test"))
                + ",\"function\":" + Json.quote(context.getFunctionName())
                + ",\"invocationId\":" + Json.quote(context.getInvocationId())
                + ",\"uri\":" + Json.quote(request.getUri().getPath()) + "}";
        return request.createResponseBuilder(HttpStatus.OK).header("x-echo", "yes").body(json).build();
    }
}
