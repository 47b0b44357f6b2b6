#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Tables
import Testing
import TestSupport

/// `OutputTarget` and `OutputFile`: one rule for every output file (issue 14, items 1 and 2). Special files are
/// made in a temporary directory (`mkfifo`; `mknod` only as root); the real `/dev` is only looked at.
@Suite("Output targets")
struct OutputTargetTests {
    static func fileType(_ path: String) -> mode_t {
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_mode & S_IFMT : 0
    }

    @Test func decidesHowEachKindOfPathIsWritten() throws {
        let s = try Scratch()
        #expect(try OutputTarget("-").destination == .standardOutput)
        #expect(try OutputTarget("/dev/stdout").destination == .standardOutput)
        let regular = try s.write("old.csv", "old\n")
        #expect(try OutputTarget(regular).destination == .file(path: regular))
        #expect(try OutputTarget(s.path("new.csv")).destination == .file(path: s.path("new.csv")))
        // /dev/null is only classified (stat), never written to here.
        #expect(try OutputTarget("/dev/null").destination == .stream(path: "/dev/null"))
        let fifo = s.path("fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(try OutputTarget(fifo).destination == .stream(path: fifo))
        // A link is followed to its target, also a relative link named without a directory.
        #expect(symlink("old.csv", s.path("link.csv")) == 0)
        #expect(try OutputTarget(s.path("link.csv")).destination == .file(path: s.path("old.csv")))
        #expect(symlink("fifo", s.path("fifo-link")) == 0)
        #expect(try OutputTarget(s.path("fifo-link")).destination == .stream(path: s.path("fifo")))
        // A bare relative name (resolved against the working directory) is tested through the binary, run in its
        // own directory (OutputTargetCommandTests.aSymbolicLinkKeepsPointingAtItsReplacedTarget): changing this
        // process's working directory would race with the tests running beside this one.
    }

    @Test func refusesDirectoriesSocketsAndBlockDevicesByName() throws {
        let s = try Scratch()
        try FileManager.default.createDirectory(atPath: s.path("dir"), withIntermediateDirectories: false)
        #expect(throws: OutputError.unsupportedFile(path: s.path("dir"), kind: "a directory")) {
            try OutputTarget(s.path("dir"))
        }
        #expect("\(OutputError.unsupportedFile(path: "out", kind: "a directory"))"
                == "out: is a directory; expected a regular file, a new path, a character device, a FIFO or - (standard output)")
        #expect(symlink("dir", s.path("dir-link")) == 0)
        #expect(throws: OutputError.unsupportedFile(path: s.path("dir-link"), kind: "a directory")) {
            try OutputTarget(s.path("dir-link"))
        }
        let socketPath = s.path("sock")
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (k, byte) in socketPath.utf8.enumerated() where k < raw.count - 1 { raw[k] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        #expect(throws: OutputError.unsupportedFile(path: socketPath, kind: "a socket")) { try OutputTarget(socketPath) }
        if geteuid() == 0 {
            #expect(mknod(s.path("block"), S_IFBLK | 0o600, device(7, 0)) == 0)
            #expect(throws: OutputError.unsupportedFile(path: s.path("block"), kind: "a block device")) {
                try OutputTarget(s.path("block"))
            }
        }
    }

    @Test func anOutputThatIsAnInputIsRefusedThroughLinks() throws {
        let s = try Scratch()
        let input = try s.write("in.csv", "a\n1\n")
        #expect(link(input, s.path("hard.csv")) == 0)
        #expect(symlink(input, s.path("soft.csv")) == 0)
        for name in ["in.csv", "hard.csv", "soft.csv"] {
            #expect(throws: OutputError.namesAnInput(output: s.path(name), input: "--input \(input)")) {
                try OutputTarget(s.path(name)).refuse(inputs: [("--input", input)])
            }
        }
        #expect("\(OutputError.namesAnInput(output: "m.json", input: "--model m.json"))"
                == "m.json: is the same file as the input --model m.json; expected an output path that is not one of "
                + "the run's inputs (nothing was read or written)")
        try OutputTarget(s.path("new.csv")).refuse(inputs: [("--input", input)])
        try OutputTarget("-").refuse(inputs: [("--input", input)])
        #expect(try OutputTarget(s.path("a.csv")).isSameFile(as: OutputTarget(s.directory.url.path + "/./a.csv")))
        #expect(try OutputTarget(s.path("hard.csv")).isSameFile(as: OutputTarget(input)))
        #expect(try !OutputTarget(s.path("a.csv")).isSameFile(as: OutputTarget(s.path("b.csv"))))
    }

    @Test func aLinkedFileIsReplacedAtItsTargetAndTheLinkStays() throws {
        let s = try Scratch()
        let target = try s.write("target.csv", "old\n")
        chmod(target, 0o640)
        #expect(symlink("target.csv", s.path("link.csv")) == 0)
        try OutputTarget(s.path("link.csv")).write(text: "new\n")
        #expect(Self.fileType(s.path("link.csv")) == S_IFLNK)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new\n")
        var status = stat()
        #expect(stat(target, &status) == 0 && status.st_mode & 0o777 == 0o640)  // permissions kept
        #expect(try s.listing() == ["link.csv", "target.csv"])
    }

    @Test func aFIFOIsWrittenDirectlyWithoutATemporaryFile() throws {
        let s = try Scratch()
        let fifo = s.path("fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let received = Received()
        let reader = Thread {
            received.data = readToEnd(fifo)
            received.done.signal()
        }
        reader.start()
        let writer = try CSVWriter(path: fifo)
        #expect(writer.temporaryPath == nil)
        try writer.appendRow(["id", "score"])
        try writer.appendRow(["E1", "0.5"])
        #expect(try s.listing() == ["fifo"])
        try writer.commit()
        #expect(received.wait(forReaderOf: fifo, seconds: 30), "nothing was written to the FIFO")
        #expect(String(decoding: received.data, as: UTF8.self) == "id,score\nE1,0.5\n")
        #expect(Self.fileType(fifo) == S_IFIFO)
        #expect(try s.listing() == ["fifo"])
    }

    @Test func aCharacterDeviceIsWrittenInPlace() throws {
        // As root: a null device made in the scratch directory, written and left a device. Otherwise the real
        // /dev/null is written to (writing to it changes nothing) and checked to still be a device.
        let s = try Scratch()
        let node = geteuid() == 0 ? s.path("null") : "/dev/null"
        if geteuid() == 0 { #expect(mknod(node, S_IFCHR | 0o666, device(1, 3)) == 0) }
        let file = try OutputFile(OutputTarget(node))
        #expect(!file.isReplacedAtomically)
        try Array("a,b\n".utf8).withUnsafeBytes { try file.write($0) }
        try file.commit()
        #expect(Self.fileType(node) == S_IFCHR)
        #expect(try s.listing() == (geteuid() == 0 ? ["null"] : []))
    }

    @Test func aFullDeviceIsAnIOErrorNamingTheOutput() throws {
        let s = try Scratch()
        guard geteuid() == 0 else { return }  // a full device needs mknod; the real /dev/full is not used
        let node = s.path("full")
        #expect(mknod(node, S_IFCHR | 0o666, device(1, 7)) == 0)
        #expect(throws: TableError(.ioFailure(reason: "No space left on device"), file: "full")) {
            try OutputTarget(node).write(text: "x\n")
        }
        #expect(Self.fileType(node) == S_IFCHR)
    }

    @Test func aTemporaryFileIsRegisteredFromBeforeItExistsUntilTheCommit() throws {
        let s = try Scratch()
        let file = try OutputFile(OutputTarget(s.path("out.csv")))
        let temporary = try #require(file.temporaryPath)
        #expect(TemporaryFiles.paths.contains(temporary))
        try file.commit()
        #expect(!TemporaryFiles.paths.contains(temporary))
        #expect(try s.listing() == ["out.csv"])
    }

    @Test func anOutputDirectoryHoldingAnInputIsRefused() throws {
        let s = try Scratch()
        try FileManager.default.createDirectory(atPath: s.path("plan"), withIntermediateDirectories: false)
        let input = try s.write("plan/plan.csv", "a\n")
        #expect(symlink(input, s.path("elsewhere.csv")) == 0)
        #expect(throws: OutputError.namesAnInput(output: s.path("plan"), input: "--scores \(s.path("elsewhere.csv"))")) {
            try OutputSet.refuse(directory: s.path("plan"), inputs: [("--scores", s.path("elsewhere.csv"))])
        }
        try OutputSet.refuse(directory: s.path("plan"), inputs: [("--scores", s.path("other.csv"))])
        try OutputSet.refuse(directory: s.path("new"), inputs: [("--scores", input)])
    }
}
