package dev.osmosis.engine.nn.torchscript;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A TorchScript module archive as {@code torch::jit::load} reads it, written in memory without
 * Python (layout: torch/csrc/jit/docs/serialization.md; reader: caffe2/serialize/inline_container.cc).
 *
 * <p>A zip whose entries all sit under one top folder (the reader takes the first entry's folder as
 * the archive name): {@code version} (the file format version), {@code code/__torch__.py} (the
 * class as TorchScript source, compiled on load), {@code constants.pkl} (the tuple of tensor
 * constants the code refers to: none here) and {@code data.pkl} (the module object: an instance of
 * {@code __torch__.<Class>} with its attribute dict). The module holds no tensors, so there is no
 * {@code data/} folder: every tensor comes in as a method argument.
 */
public final class TorchScriptArchive {
    /**
     * caffe2/serialize/versions.h: libtorch 2.x reads versions 1 to 10 (0xA). Operators whose
     * semantics changed (div, linspace, gelu...) are rewritten by upgraders for older versions, so
     * the newest version keeps the code's meaning exactly as written.
     */
    static final int FILE_FORMAT_VERSION = 10;

    private static final String FOLDER = "osmosis/";

    private TorchScriptArchive() {}

    /**
     * @param className the module's class, referred to as {@code __torch__.<className>}
     * @param source {@code code/__torch__.py}: the class definition, {@code class <className>(Module):}
     * @param tensorLists attributes of type {@code List[Tensor]}, pickled empty (state filled at run time)
     */
    public static byte[] module(String className, String source, List<String> tensorLists) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            // the version record is the one the reader looks up first; PyTorch writes it first too
            stored(zip, "version", (FILE_FORMAT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
            stored(zip, "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            stored(zip, "constants.pkl", new PickleWriter().emptyTuple().finish());
            stored(zip, "data.pkl", moduleState(className, tensorLists));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * {@code __torch__.<className>()} then BUILD with its attribute dict, as torch's Pickler writes
     * a module: the importer sets each declared attribute from the dict (every one must be present).
     * {@code training} is the attribute every Module has ({@code Module.eval()} writes it).
     */
    static byte[] moduleState(String className, List<String> tensorLists) {
        PickleWriter p = new PickleWriter()
                .global("__torch__", className).emptyTuple().newObj()
                .emptyDict().mark()
                .string("training").bool(false);
        for (String name : tensorLists) {
            // torch.jit._pickle.build_tensorlist(([],)) tags the list as List[Tensor]
            p.string(name).global("torch.jit._pickle", "build_tensorlist").emptyList().tuple1().reduce();
        }
        return p.setItems().build().finish();
    }

    /** Uncompressed entries, as PyTorch writes them (so storages could be memory-mapped). */
    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(FOLDER + name);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
