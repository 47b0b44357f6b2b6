import CZlib
import Foundation

/// Just enough PNG decoding to tell a blank screenshot from a page: 8-bit RGB or RGBA, non-interlaced (what
/// Chromium writes), inflated with zlib and unfiltered scanline by scanline.
struct PNGImage {
    let width: Int
    let height: Int
    /// Luminance 0…255 per pixel, row by row.
    let luminance: [Double]

    enum Failure: Error { case notPNG, unsupported(String), inflate(Int32) }

    init(_ data: [UInt8]) throws {
        guard data.count > 8, data[0..<8].elementsEqual([137, 80, 78, 71, 13, 10, 26, 10]) else { throw Failure.notPNG }
        var offset = 8
        var width = 0, height = 0, channels = 0
        var compressed: [UInt8] = []
        func be32(_ i: Int) -> Int { Int(data[i]) << 24 | Int(data[i + 1]) << 16 | Int(data[i + 2]) << 8 | Int(data[i + 3]) }
        while offset + 8 <= data.count {
            let length = be32(offset)
            let type = String(decoding: data[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let body = data[(offset + 8)..<(offset + 8 + length)]
            switch type {
            case "IHDR":
                width = be32(offset + 8)
                height = be32(offset + 12)
                let depth = body[body.startIndex + 8], colour = body[body.startIndex + 9], interlace = body[body.startIndex + 12]
                guard depth == 8, interlace == 0, colour == 2 || colour == 6 else {
                    throw Failure.unsupported("depth \(depth) colour \(colour) interlace \(interlace)")
                }
                channels = colour == 6 ? 4 : 3
            case "IDAT": compressed += body
            default: break
            }
            offset += 12 + length
        }
        let stride = width * channels
        var raw = [UInt8](repeating: 0, count: (stride + 1) * height)
        var size = uLongf(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { out in
            compressed.withUnsafeBufferPointer { input in
                uncompress(out.baseAddress, &size, input.baseAddress, uLong(input.count))
            }
        }
        guard status == Z_OK else { throw Failure.inflate(status) }
        var pixels = [UInt8](repeating: 0, count: stride * height)
        for y in 0..<height {
            let filter = raw[y * (stride + 1)]
            for x in 0..<stride {
                let value = Int(raw[y * (stride + 1) + 1 + x])
                let a = x >= channels ? Int(pixels[y * stride + x - channels]) : 0
                let b = y > 0 ? Int(pixels[(y - 1) * stride + x]) : 0
                let c = x >= channels && y > 0 ? Int(pixels[(y - 1) * stride + x - channels]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
                default: throw Failure.unsupported("filter \(filter)")
                }
                pixels[y * stride + x] = UInt8((value + predictor) & 0xff)
            }
        }
        self.width = width
        self.height = height
        var luminance = [Double](repeating: 0, count: width * height)
        for i in 0..<(width * height) {
            let r = Double(pixels[i * channels]), g = Double(pixels[i * channels + 1]), b = Double(pixels[i * channels + 2])
            luminance[i] = 0.299 * r + 0.587 * g + 0.114 * b
        }
        self.luminance = luminance
    }

    /// The variance of the luminance: near 0 for a blank (one-colour) image.
    var variance: Double {
        let mean = luminance.reduce(0, +) / Double(luminance.count)
        return luminance.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(luminance.count)
    }

    /// The share of pixels darker than mid-grey (text, bars): a page with content has some.
    var darkShare: Double { Double(luminance.filter { $0 < 128 }.count) / Double(luminance.count) }
}
