package dev.sorabatch.provider.vertex;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.auth.oauth2.ExternalAccountCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.auth.oauth2.UserCredentials;

import dev.sorabatch.provider.http.HttpCall;
import dev.sorabatch.provider.http.HttpSettings;
import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;

/**
 * {@code sora.vertex.*}: the Google Cloud project and location of Vertex AI, where Veo writes the videos
 * ({@code gs://bucket/prefix}, or nothing: the videos then come back inline), the API and Cloud Storage hosts, and
 * the credentials: Application Default Credentials (googleapis/google-auth-library-java
 * {@code oauth2_http/java/com/google/auth/oauth2/DefaultCredentialsProvider.java}: {@code GOOGLE_APPLICATION_CREDENTIALS},
 * then gcloud's {@code application_default_credentials.json}, then the metadata server of GCE, GKE workload identity
 * or Cloud Run), or a credentials file named here.
 *
 * @param outputBucket empty when the videos come back inline
 * @param outputPrefix without slashes at either end, or empty
 */
public record VertexSettings(String project, String location, String baseUrl, String storageUrl, String outputBucket,
                             String outputPrefix, boolean deleteAfterFetch, GoogleCredentials credentials) {

    private static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
    private static final Pattern GS_URI = Pattern.compile("gs://([a-z0-9][-_.a-z0-9]{1,220}[a-z0-9])(/.*)?");

    @Override
    public String toString() {
        return "VertexSettings[" + project + ", " + location + ", " + baseUrl + "]"; // never the credentials
    }

    public static VertexSettings from(Settings s) {
        String project = s.text("sora.vertex.project", "").strip();
        if (project.isEmpty()) {
            throw new SettingException("sora.vertex.project", "is empty: name the Google Cloud project Vertex AI bills");
        }
        String location = s.text("sora.vertex.location").strip();
        if (!location.matches("[a-z]+(-[a-z]+\\d*)*")) {
            throw new SettingException("sora.vertex.location", "must be a location such as us-central1, got '" + location + "'");
        }
        String base = s.text("sora.vertex.base-url", "").strip();
        // python-genai _api_client.py: the global location has no regional host
        String defaultBase = location.equals("global") ? "https://aiplatform.googleapis.com"
                : "https://" + location + "-aiplatform.googleapis.com";
        String baseUrl = base.isEmpty() ? defaultBase : HttpSettings.baseUrl(s, "sora.vertex.base-url");
        String storageUrl = HttpSettings.baseUrl(s, "sora.vertex.storage-url");
        String uri = s.text("sora.vertex.output-uri", "").strip();
        String bucket = "";
        String prefix = "";
        if (!uri.isEmpty()) {
            Matcher m = GS_URI.matcher(uri);
            if (!m.matches()) {
                throw new SettingException("sora.vertex.output-uri", "must be empty or gs://bucket/prefix, got '" + uri + "'");
            }
            bucket = m.group(1);
            prefix = m.group(2) == null ? "" : m.group(2).replaceAll("^/+|/+$", "");
        }
        return new VertexSettings(project, location, strip(baseUrl), strip(storageUrl), bucket, prefix,
                s.flag("sora.vertex.delete-after-fetch"), credentials(s.text("sora.vertex.credentials-file", "").strip()));
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * A named file by its {@code type}, each through its own loader (the catch-all {@code GoogleCredentials.fromStream}
     * is marked obsolete in google-auth-library 1.57 for loading any type it is handed); else ADC.
     */
    private static GoogleCredentials credentials(String file) {
        String key = "sora.vertex.credentials-file";
        if (file.isEmpty()) {
            try {
                return GoogleCredentials.getApplicationDefault().createScoped(SCOPE);
            } catch (IOException e) {
                throw new SettingException(key, "is empty and no Application Default Credentials were found: set "
                        + "GOOGLE_APPLICATION_CREDENTIALS to a credentials file, run gcloud auth application-default "
                        + "login, or run where a service account is attached");
            }
        }
        Path path = Path.of(file);
        try {
            JsonNode json;
            try (InputStream in = Files.newInputStream(path)) {
                json = HttpCall.JSON.readTree(in);
            }
            String type = json == null ? "" : json.path("type").asText("");
            try (InputStream in = Files.newInputStream(path)) {
                GoogleCredentials credentials = switch (type) {
                    case "authorized_user" -> UserCredentials.fromStream(in);
                    case "service_account" -> ServiceAccountCredentials.fromStream(in);
                    case "external_account" -> ExternalAccountCredentials.fromStream(in);
                    default -> throw new SettingException(key, file + " is a credentials file of type '" + type
                            + "'; authorized_user, service_account or external_account are taken (as in "
                            + "GOOGLE_APPLICATION_CREDENTIALS)");
                };
                return credentials.createScoped(SCOPE);
            }
        } catch (NoSuchFileException e) {
            throw new SettingException(key, "names " + file + ", which does not exist (it takes the same file as "
                    + "GOOGLE_APPLICATION_CREDENTIALS)");
        } catch (IOException e) {
            throw new SettingException(key, "names " + file + ", which is not a Google credentials file: " + e.getMessage());
        }
    }

    /** Where one item's videos go: the configured prefix and the item's create key below it; null for inline. */
    String storageUri(String itemKey) {
        return outputBucket.isEmpty() ? null
                : "gs://" + outputBucket + "/" + (outputPrefix.isEmpty() ? "" : outputPrefix + "/") + itemKey + "/";
    }
}
