package dev.sorabatch.simulator;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SimulatorMultipartFormTest {

    private static final String BOUNDARY = "xYz-42";

    @Test
    void readsTextFieldsAroundAFilePartThatMimicsDelimiters() throws IOException {
        // near-misses of "\r\n--xYz-42": a partial match must be emitted, and a CR inside it may start the real one
        byte[] image = "\r\n--xYz-4\r\r\n--xYz-\r\n-\r\n--xYz-4X\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(ascii("preamble to ignore\r\n--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"prompt\"\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\n"));
        body.writeBytes("line one\r\n--xYz-4 ünïcode\r".getBytes(StandardCharsets.UTF_8));
        body.writeBytes(ascii("\r\n--" + BOUNDARY + "\r\n"
                + "content-disposition: form-data; name=input_reference; filename=\"ref.png\"\r\n\r\n"));
        body.writeBytes(image);
        body.writeBytes(ascii("\r\n--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"seconds\"\r\n\r\n8"
                + "\r\n--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"seconds\"\r\n\r\n12"
                + "\r\n--" + BOUNDARY + "--\r\nepilogue"));

        Map<String, String> fields = read(body.toByteArray(), "multipart/form-data; boundary=\"" + BOUNDARY + "\"");

        assertEquals(Map.of("prompt", "line one\r\n--xYz-4 ünïcode\r", "seconds", "8"), fields);
    }

    @Test
    void emptyValueIsKept() throws IOException {
        String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"size\"\r\n\r\n\r\n--" + BOUNDARY + "--";
        assertEquals(Map.of("size", ""), read(ascii(body), "multipart/form-data; boundary=" + BOUNDARY));
    }

    @Test
    void truncatedBodyIsRejected() {
        String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nno end";
        ApiException e = assertThrows(ApiException.class,
                () -> read(ascii(body), "multipart/form-data; boundary=" + BOUNDARY));
        assertEquals(400, e.status());
    }

    @Test
    void partWithoutNameAndMissingBoundaryAreRejected() {
        String body = "--" + BOUNDARY + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + BOUNDARY + "--";
        assertThrows(ApiException.class, () -> read(ascii(body), "multipart/form-data; boundary=" + BOUNDARY));
        assertThrows(ApiException.class, () -> MultipartForm.boundary("multipart/form-data"));
    }

    private static Map<String, String> read(byte[] body, String contentType) throws IOException {
        return MultipartForm.read(new ByteArrayInputStream(body), MultipartForm.boundary(contentType));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
