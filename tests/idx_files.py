"""Builds idx files (the MNIST format) in memory, shared by the dataset tests."""
import struct


def idx_bytes(arr, code):
    """The idx encoding of arr: magic (0, 0, type code, ndim), big-endian dimensions, big-endian data."""
    dt = {0x08: ">u1", 0x0D: ">f4", 0x0B: ">i2"}[code]
    head = bytes([0, 0, code, arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape)
    return head + arr.astype(dt).tobytes()
