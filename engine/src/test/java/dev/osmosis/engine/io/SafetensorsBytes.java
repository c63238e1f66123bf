package dev.osmosis.engine.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Hand-made safetensors bytes for tests: any header text, any length field, any data. */
final class SafetensorsBytes {
    private SafetensorsBytes() {}

    /** A file whose length field is the header's true length. */
    static byte[] of(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return of(h.length, h, new byte[dataBytes]);
    }

    /** A file with the given length field, header bytes and data, nothing checked. */
    static byte[] of(long lengthField, byte[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(lengthField).put(header).put(data);
        return b.array();
    }

    /** A one-tensor header: {"name":{"dtype":..,"shape":..,"data_offsets":[begin,end]}}. */
    static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape
                + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
