package dev.greenlight.local.host.testapp;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;

import java.util.Optional;

/** Answers the value of a setting as the app received it through its HostSettings.install hook. */
public class Setting {

    @FunctionName("Setting")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "settings/{name}") HttpRequestMessage<Optional<String>> request,
            @BindingName("name") String name) {
        String value = AppSettings.get(name);
        return value == null ? request.createResponseBuilder(HttpStatus.NOT_FOUND).build()
                : request.createResponseBuilder(HttpStatus.OK).body(value).build();
    }
}
