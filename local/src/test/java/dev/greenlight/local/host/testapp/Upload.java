package dev.greenlight.local.host.testapp;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;

/** Takes its body as a plain String (null when empty) and answers its length. */
public class Upload {

    @FunctionName("Upload")
    public static HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "upload") HttpRequestMessage<String> request) {
        String body = request.getBody();
        return request.createResponseBuilder(HttpStatus.OK).body(body == null ? "null" : String.valueOf(body.length()))
                .build();
    }
}
