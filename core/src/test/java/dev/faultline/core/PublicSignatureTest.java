package dev.faultline.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No docker-java, OkHttp or resilience4j type in a public signature of core: users embed
 * faultline without those libraries leaking into their code (and we can swap them).
 */
class PublicSignatureTest {

    private static final List<String> FORBIDDEN = List.of("com.github.dockerjava.", "okhttp3.", "okio.", "io.github.resilience4j.", "kotlin.");

    @Test
    void publicSignaturesUseOnlyOurOwnAndJdkTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(dev.faultline.core.engine.Engine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> classNames;
        try (Stream<Path> files = Files.walk(classes)) {
            classNames = files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().equals("package-info.class"))
                    .map(p -> classes.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .toList();
        }
        List<String> leaks = new ArrayList<>();
        for (String name : classNames) {
            Class<?> type = Class.forName(name, false, getClass().getClassLoader());
            if (!Modifier.isPublic(type.getModifiers())) continue;
            for (Method m : type.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers())) {
                    check(leaks, name + "." + m.getName(), m.toGenericString());
                }
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (Modifier.isPublic(c.getModifiers()) || Modifier.isProtected(c.getModifiers())) {
                    check(leaks, name + ".<init>", c.toGenericString());
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (Modifier.isPublic(f.getModifiers()) || Modifier.isProtected(f.getModifiers())) {
                    check(leaks, name + "." + f.getName(), f.toGenericString());
                }
            }
        }
        assertThat(leaks).as("public members of core exposing third-party types").isEmpty();
    }

    private static void check(List<String> leaks, String member, String signature) {
        for (String prefix : FORBIDDEN) {
            if (signature.contains(prefix)) leaks.add(member + ": " + signature);
        }
    }
}
