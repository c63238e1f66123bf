package dev.osmosis.engine.nn.torchscript;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few opcodes of pickle protocol 2 that TorchScript's unpickler reads for a module's state
 * (torch/csrc/jit/serialization/unpickler.cpp; opcode values from CPython's Lib/pickletools.py).
 * Calls append opcodes in order, like a stack-machine program; {@link #finish()} adds STOP.
 */
final class PickleWriter {
    private static final int PROTO = 0x80;
    private static final int GLOBAL = 'c';
    private static final int EMPTY_TUPLE = ')';
    private static final int EMPTY_DICT = '}';
    private static final int EMPTY_LIST = ']';
    private static final int NEWOBJ = 0x81;
    private static final int MARK = '(';
    private static final int SETITEMS = 'u';
    private static final int BUILD = 'b';
    private static final int REDUCE = 'R';
    private static final int TUPLE1 = 0x85;
    private static final int BINUNICODE = 'X';
    private static final int NEWTRUE = 0x88;
    private static final int NEWFALSE = 0x89;
    private static final int STOP = '.';

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Starts the program: TorchScript's unpickler accepts protocol 2 only. */
    PickleWriter() {
        out.write(PROTO);
        out.write(2);
    }

    /** Pushes a reference to {@code module.name}; the unpickler resolves {@code __torch__.*} names to code/. */
    PickleWriter global(String module, String name) {
        out.write(GLOBAL);
        ascii(module + "\n" + name + "\n");
        return this;
    }

    PickleWriter emptyTuple() {
        out.write(EMPTY_TUPLE);
        return this;
    }

    PickleWriter emptyDict() {
        out.write(EMPTY_DICT);
        return this;
    }

    PickleWriter emptyList() {
        out.write(EMPTY_LIST);
        return this;
    }

    /** cls, args -> cls(*args); TorchScript defers the construction to the BUILD that follows. */
    PickleWriter newObj() {
        out.write(NEWOBJ);
        return this;
    }

    PickleWriter mark() {
        out.write(MARK);
        return this;
    }

    /** Adds the key/value pairs since the last MARK to the dict below it. */
    PickleWriter setItems() {
        out.write(SETITEMS);
        return this;
    }

    /** obj, state -> obj with state: TorchScript fills the object's attribute slots from the dict. */
    PickleWriter build() {
        out.write(BUILD);
        return this;
    }

    /** callable, args -> callable(*args). */
    PickleWriter reduce() {
        out.write(REDUCE);
        return this;
    }

    PickleWriter tuple1() {
        out.write(TUPLE1);
        return this;
    }

    PickleWriter string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.write(BINUNICODE);
        int32(utf8.length);
        out.writeBytes(utf8);
        return this;
    }

    PickleWriter bool(boolean value) {
        out.write(value ? NEWTRUE : NEWFALSE);
        return this;
    }

    byte[] finish() {
        out.write(STOP);
        return out.toByteArray();
    }

    private void int32(int v) {
        // pickle integers and lengths are little-endian
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    private void ascii(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
