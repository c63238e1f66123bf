package dev.osmosis.engine.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Pickle checkpoints (.ckpt, .pt, .pth, .bin) run arbitrary code when loaded, so they are refused
 * before a byte is interpreted, with the conversion recipe in the message.
 */
public final class PickleCheckpoint {
    static final String HOW_TO_CONVERT = "pickle checkpoints can run code when loaded and are not supported;"
            + " convert it to .safetensors first, e.g. python -c \"import torch, safetensors.torch as st;"
            + " sd = torch.load('IN', weights_only=True); st.save_file(sd.get('state_dict', sd), 'OUT.safetensors')\"";

    private PickleCheckpoint() {}

    public static void refuseIfPickle(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".ckpt") || name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".bin")
                || name.endsWith(".pkl") || looksLikePickleOrZip(path)) {
            throw new ModelFormatException(path + ": " + HOW_TO_CONVERT);
        }
    }

    /** torch.save writes a zip (PK) or a raw pickle (protocol opcode 0x80); safetensors has '{' at byte 8. */
    private static boolean looksLikePickleOrZip(Path path) {
        if (!Files.isRegularFile(path)) {
            return false;
        }
        byte[] head = new byte[9];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return false;
        }
        if (n >= 9 && head[8] == '{') {
            return false;
        }
        int b0 = n > 0 ? head[0] & 0xff : -1;
        int b1 = n > 1 ? head[1] & 0xff : -1;
        return (b0 == 'P' && b1 == 'K') || (b0 == 0x80 && b1 >= 2 && b1 <= 5);
    }
}
