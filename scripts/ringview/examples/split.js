ringviewTrace({
name: "split ring: blk read 4 KiB, ping, TFTP read of an 8 KiB disk (mode=irq)",
src: {
  "fail": "drivers/virtio/virtqueue.c:110",
  "fill_indirect": "drivers/virtio/virtqueue.c:286",
  "packed_next_used": "drivers/virtio/virtqueue.c:514",
  "packed_publish": "drivers/virtio/virtqueue.c:343",
  "rec_snapshot": "drivers/virtio/virtqueue.c:843",
  "split_next_used": "drivers/virtio/virtqueue.c:478",
  "split_publish": "drivers/virtio/virtqueue.c:325",
  "vq_add": "drivers/virtio/virtqueue.c:367",
  "vq_destroy": "drivers/virtio/virtqueue.c:227",
  "vq_detach_unused": "drivers/virtio/virtqueue.c:673",
  "vq_disable_cb": "drivers/virtio/virtqueue.c:636",
  "vq_enable_cb": "drivers/virtio/virtqueue.c:648",
  "vq_get": "drivers/virtio/virtqueue.c:564",
  "vq_irq": "drivers/virtio/virtqueue.c:691",
  "vq_kick_prepare": "drivers/virtio/virtqueue.c:431",
  "vq_notify": "drivers/virtio/virtqueue.c:445",
  "vq_trace": "drivers/virtio/virtqueue.c:975"
},
text: `
rt 0 - - start dev=*
rt 1 net0 q1 queue layout=split size=256 event_idx=1 indirect=1 desc=0x8118000 driver=0x8119000 device=0x811a000
rt 2 net0 q1 state avail_idx=4 used_idx=4 last_used=4 inflight=0 used_event=4 avail_event=4 avail_flags=0 used_flags=0
rt 3 net0 q0 queue layout=split size=256 event_idx=1 indirect=1 desc=0x80f5000 driver=0x80f6000 device=0x80f7000
rt 4 net0 q0 state avail_idx=259 used_idx=3 last_used=3 inflight=256 used_event=3 avail_event=0 avail_flags=0 used_flags=0
rt 5 net0 q0 add head=0 ndesc=1 in=2048 indirect=0 req=0
rt 6 net0 q0 desc i=0 addr=0x813b000 len=2048 flags=0x2 next=0
rt 7 net0 q0 add head=1 ndesc=1 in=2048 indirect=0 req=0
rt 8 net0 q0 desc i=1 addr=0x813b800 len=2048 flags=0x2 next=0
rt 9 net0 q0 add head=2 ndesc=1 in=2048 indirect=0 req=0
rt 10 net0 q0 desc i=2 addr=0x813c000 len=2048 flags=0x2 next=0
rt 11 net0 q0 add head=3 ndesc=1 in=2048 indirect=0 req=0
rt 12 net0 q0 desc i=3 addr=0x813c800 len=2048 flags=0x2 next=0
rt 13 net0 q0 add head=4 ndesc=1 in=2048 indirect=0 req=0
rt 14 net0 q0 desc i=4 addr=0x813d000 len=2048 flags=0x2 next=0
rt 15 net0 q0 add head=5 ndesc=1 in=2048 indirect=0 req=0
rt 16 net0 q0 desc i=5 addr=0x813d800 len=2048 flags=0x2 next=0
rt 17 net0 q0 add head=6 ndesc=1 in=2048 indirect=0 req=0
rt 18 net0 q0 desc i=6 addr=0x813e000 len=2048 flags=0x2 next=0
rt 19 net0 q0 add head=7 ndesc=1 in=2048 indirect=0 req=0
rt 20 net0 q0 desc i=7 addr=0x813e800 len=2048 flags=0x2 next=0
rt 21 net0 q0 add head=8 ndesc=1 in=2048 indirect=0 req=0
rt 22 net0 q0 desc i=8 addr=0x813f000 len=2048 flags=0x2 next=0
rt 23 net0 q0 add head=9 ndesc=1 in=2048 indirect=0 req=0
rt 24 net0 q0 desc i=9 addr=0x813f800 len=2048 flags=0x2 next=0
rt 25 net0 q0 add head=10 ndesc=1 in=2048 indirect=0 req=0
rt 26 net0 q0 desc i=10 addr=0x8140000 len=2048 flags=0x2 next=0
rt 27 net0 q0 add head=11 ndesc=1 in=2048 indirect=0 req=0
rt 28 net0 q0 desc i=11 addr=0x8140800 len=2048 flags=0x2 next=0
rt 29 net0 q0 add head=12 ndesc=1 in=2048 indirect=0 req=0
rt 30 net0 q0 desc i=12 addr=0x8141000 len=2048 flags=0x2 next=0
rt 31 net0 q0 add head=13 ndesc=1 in=2048 indirect=0 req=0
rt 32 net0 q0 desc i=13 addr=0x8141800 len=2048 flags=0x2 next=0
rt 33 net0 q0 add head=14 ndesc=1 in=2048 indirect=0 req=0
rt 34 net0 q0 desc i=14 addr=0x8142000 len=2048 flags=0x2 next=0
rt 35 net0 q0 add head=15 ndesc=1 in=2048 indirect=0 req=0
rt 36 net0 q0 desc i=15 addr=0x8142800 len=2048 flags=0x2 next=0
rt 37 net0 q0 add head=16 ndesc=1 in=2048 indirect=0 req=0
rt 38 net0 q0 desc i=16 addr=0x8143000 len=2048 flags=0x2 next=0
rt 39 net0 q0 add head=17 ndesc=1 in=2048 indirect=0 req=0
rt 40 net0 q0 desc i=17 addr=0x8143800 len=2048 flags=0x2 next=0
rt 41 net0 q0 add head=18 ndesc=1 in=2048 indirect=0 req=0
rt 42 net0 q0 desc i=18 addr=0x8144000 len=2048 flags=0x2 next=0
rt 43 net0 q0 add head=19 ndesc=1 in=2048 indirect=0 req=0
rt 44 net0 q0 desc i=19 addr=0x8144800 len=2048 flags=0x2 next=0
rt 45 net0 q0 add head=20 ndesc=1 in=2048 indirect=0 req=0
rt 46 net0 q0 desc i=20 addr=0x8145000 len=2048 flags=0x2 next=0
rt 47 net0 q0 add head=21 ndesc=1 in=2048 indirect=0 req=0
rt 48 net0 q0 desc i=21 addr=0x8145800 len=2048 flags=0x2 next=0
rt 49 net0 q0 add head=22 ndesc=1 in=2048 indirect=0 req=0
rt 50 net0 q0 desc i=22 addr=0x8146000 len=2048 flags=0x2 next=0
rt 51 net0 q0 add head=23 ndesc=1 in=2048 indirect=0 req=0
rt 52 net0 q0 desc i=23 addr=0x8146800 len=2048 flags=0x2 next=0
rt 53 net0 q0 add head=24 ndesc=1 in=2048 indirect=0 req=0
rt 54 net0 q0 desc i=24 addr=0x8147000 len=2048 flags=0x2 next=0
rt 55 net0 q0 add head=25 ndesc=1 in=2048 indirect=0 req=0
rt 56 net0 q0 desc i=25 addr=0x8147800 len=2048 flags=0x2 next=0
rt 57 net0 q0 add head=26 ndesc=1 in=2048 indirect=0 req=0
rt 58 net0 q0 desc i=26 addr=0x8148000 len=2048 flags=0x2 next=0
rt 59 net0 q0 add head=27 ndesc=1 in=2048 indirect=0 req=0
rt 60 net0 q0 desc i=27 addr=0x8148800 len=2048 flags=0x2 next=0
rt 61 net0 q0 add head=28 ndesc=1 in=2048 indirect=0 req=0
rt 62 net0 q0 desc i=28 addr=0x8149000 len=2048 flags=0x2 next=0
rt 63 net0 q0 add head=29 ndesc=1 in=2048 indirect=0 req=0
rt 64 net0 q0 desc i=29 addr=0x8149800 len=2048 flags=0x2 next=0
rt 65 net0 q0 add head=30 ndesc=1 in=2048 indirect=0 req=0
rt 66 net0 q0 desc i=30 addr=0x814a000 len=2048 flags=0x2 next=0
rt 67 net0 q0 add head=31 ndesc=1 in=2048 indirect=0 req=0
rt 68 net0 q0 desc i=31 addr=0x814a800 len=2048 flags=0x2 next=0
rt 69 net0 q0 add head=32 ndesc=1 in=2048 indirect=0 req=0
rt 70 net0 q0 desc i=32 addr=0x814b000 len=2048 flags=0x2 next=0
rt 71 net0 q0 add head=33 ndesc=1 in=2048 indirect=0 req=0
rt 72 net0 q0 desc i=33 addr=0x814b800 len=2048 flags=0x2 next=0
rt 73 net0 q0 add head=34 ndesc=1 in=2048 indirect=0 req=0
rt 74 net0 q0 desc i=34 addr=0x814c000 len=2048 flags=0x2 next=0
rt 75 net0 q0 add head=35 ndesc=1 in=2048 indirect=0 req=0
rt 76 net0 q0 desc i=35 addr=0x814c800 len=2048 flags=0x2 next=0
rt 77 net0 q0 add head=36 ndesc=1 in=2048 indirect=0 req=0
rt 78 net0 q0 desc i=36 addr=0x814d000 len=2048 flags=0x2 next=0
rt 79 net0 q0 add head=37 ndesc=1 in=2048 indirect=0 req=0
rt 80 net0 q0 desc i=37 addr=0x814d800 len=2048 flags=0x2 next=0
rt 81 net0 q0 add head=38 ndesc=1 in=2048 indirect=0 req=0
rt 82 net0 q0 desc i=38 addr=0x814e000 len=2048 flags=0x2 next=0
rt 83 net0 q0 add head=39 ndesc=1 in=2048 indirect=0 req=0
rt 84 net0 q0 desc i=39 addr=0x814e800 len=2048 flags=0x2 next=0
rt 85 net0 q0 add head=40 ndesc=1 in=2048 indirect=0 req=0
rt 86 net0 q0 desc i=40 addr=0x814f000 len=2048 flags=0x2 next=0
rt 87 net0 q0 add head=41 ndesc=1 in=2048 indirect=0 req=0
rt 88 net0 q0 desc i=41 addr=0x814f800 len=2048 flags=0x2 next=0
rt 89 net0 q0 add head=42 ndesc=1 in=2048 indirect=0 req=0
rt 90 net0 q0 desc i=42 addr=0x8150000 len=2048 flags=0x2 next=0
rt 91 net0 q0 add head=43 ndesc=1 in=2048 indirect=0 req=0
rt 92 net0 q0 desc i=43 addr=0x8150800 len=2048 flags=0x2 next=0
rt 93 net0 q0 add head=44 ndesc=1 in=2048 indirect=0 req=0
rt 94 net0 q0 desc i=44 addr=0x8151000 len=2048 flags=0x2 next=0
rt 95 net0 q0 add head=45 ndesc=1 in=2048 indirect=0 req=0
rt 96 net0 q0 desc i=45 addr=0x8151800 len=2048 flags=0x2 next=0
rt 97 net0 q0 add head=46 ndesc=1 in=2048 indirect=0 req=0
rt 98 net0 q0 desc i=46 addr=0x8152000 len=2048 flags=0x2 next=0
rt 99 net0 q0 add head=47 ndesc=1 in=2048 indirect=0 req=0
rt 100 net0 q0 desc i=47 addr=0x8152800 len=2048 flags=0x2 next=0
rt 101 net0 q0 add head=48 ndesc=1 in=2048 indirect=0 req=0
rt 102 net0 q0 desc i=48 addr=0x8153000 len=2048 flags=0x2 next=0
rt 103 net0 q0 add head=49 ndesc=1 in=2048 indirect=0 req=0
rt 104 net0 q0 desc i=49 addr=0x8153800 len=2048 flags=0x2 next=0
rt 105 net0 q0 add head=50 ndesc=1 in=2048 indirect=0 req=0
rt 106 net0 q0 desc i=50 addr=0x8154000 len=2048 flags=0x2 next=0
rt 107 net0 q0 add head=51 ndesc=1 in=2048 indirect=0 req=0
rt 108 net0 q0 desc i=51 addr=0x8154800 len=2048 flags=0x2 next=0
rt 109 net0 q0 add head=52 ndesc=1 in=2048 indirect=0 req=0
rt 110 net0 q0 desc i=52 addr=0x8155000 len=2048 flags=0x2 next=0
rt 111 net0 q0 add head=53 ndesc=1 in=2048 indirect=0 req=0
rt 112 net0 q0 desc i=53 addr=0x8155800 len=2048 flags=0x2 next=0
rt 113 net0 q0 add head=54 ndesc=1 in=2048 indirect=0 req=0
rt 114 net0 q0 desc i=54 addr=0x8156000 len=2048 flags=0x2 next=0
rt 115 net0 q0 add head=55 ndesc=1 in=2048 indirect=0 req=0
rt 116 net0 q0 desc i=55 addr=0x8156800 len=2048 flags=0x2 next=0
rt 117 net0 q0 add head=56 ndesc=1 in=2048 indirect=0 req=0
rt 118 net0 q0 desc i=56 addr=0x8157000 len=2048 flags=0x2 next=0
rt 119 net0 q0 add head=57 ndesc=1 in=2048 indirect=0 req=0
rt 120 net0 q0 desc i=57 addr=0x8157800 len=2048 flags=0x2 next=0
rt 121 net0 q0 add head=58 ndesc=1 in=2048 indirect=0 req=0
rt 122 net0 q0 desc i=58 addr=0x8158000 len=2048 flags=0x2 next=0
rt 123 net0 q0 add head=59 ndesc=1 in=2048 indirect=0 req=0
rt 124 net0 q0 desc i=59 addr=0x8158800 len=2048 flags=0x2 next=0
rt 125 net0 q0 add head=60 ndesc=1 in=2048 indirect=0 req=0
rt 126 net0 q0 desc i=60 addr=0x8159000 len=2048 flags=0x2 next=0
rt 127 net0 q0 add head=61 ndesc=1 in=2048 indirect=0 req=0
rt 128 net0 q0 desc i=61 addr=0x8159800 len=2048 flags=0x2 next=0
rt 129 net0 q0 add head=62 ndesc=1 in=2048 indirect=0 req=0
rt 130 net0 q0 desc i=62 addr=0x815a000 len=2048 flags=0x2 next=0
rt 131 net0 q0 add head=63 ndesc=1 in=2048 indirect=0 req=0
rt 132 net0 q0 desc i=63 addr=0x815a800 len=2048 flags=0x2 next=0
rt 133 net0 q0 add head=64 ndesc=1 in=2048 indirect=0 req=0
rt 134 net0 q0 desc i=64 addr=0x815b000 len=2048 flags=0x2 next=0
rt 135 net0 q0 add head=65 ndesc=1 in=2048 indirect=0 req=0
rt 136 net0 q0 desc i=65 addr=0x815b800 len=2048 flags=0x2 next=0
rt 137 net0 q0 add head=66 ndesc=1 in=2048 indirect=0 req=0
rt 138 net0 q0 desc i=66 addr=0x815c000 len=2048 flags=0x2 next=0
rt 139 net0 q0 add head=67 ndesc=1 in=2048 indirect=0 req=0
rt 140 net0 q0 desc i=67 addr=0x815c800 len=2048 flags=0x2 next=0
rt 141 net0 q0 add head=68 ndesc=1 in=2048 indirect=0 req=0
rt 142 net0 q0 desc i=68 addr=0x815d000 len=2048 flags=0x2 next=0
rt 143 net0 q0 add head=69 ndesc=1 in=2048 indirect=0 req=0
rt 144 net0 q0 desc i=69 addr=0x815d800 len=2048 flags=0x2 next=0
rt 145 net0 q0 add head=70 ndesc=1 in=2048 indirect=0 req=0
rt 146 net0 q0 desc i=70 addr=0x815e000 len=2048 flags=0x2 next=0
rt 147 net0 q0 add head=71 ndesc=1 in=2048 indirect=0 req=0
rt 148 net0 q0 desc i=71 addr=0x815e800 len=2048 flags=0x2 next=0
rt 149 net0 q0 add head=72 ndesc=1 in=2048 indirect=0 req=0
rt 150 net0 q0 desc i=72 addr=0x815f000 len=2048 flags=0x2 next=0
rt 151 net0 q0 add head=73 ndesc=1 in=2048 indirect=0 req=0
rt 152 net0 q0 desc i=73 addr=0x815f800 len=2048 flags=0x2 next=0
rt 153 net0 q0 add head=74 ndesc=1 in=2048 indirect=0 req=0
rt 154 net0 q0 desc i=74 addr=0x8160000 len=2048 flags=0x2 next=0
rt 155 net0 q0 add head=75 ndesc=1 in=2048 indirect=0 req=0
rt 156 net0 q0 desc i=75 addr=0x8160800 len=2048 flags=0x2 next=0
rt 157 net0 q0 add head=76 ndesc=1 in=2048 indirect=0 req=0
rt 158 net0 q0 desc i=76 addr=0x8161000 len=2048 flags=0x2 next=0
rt 159 net0 q0 add head=77 ndesc=1 in=2048 indirect=0 req=0
rt 160 net0 q0 desc i=77 addr=0x8161800 len=2048 flags=0x2 next=0
rt 161 net0 q0 add head=78 ndesc=1 in=2048 indirect=0 req=0
rt 162 net0 q0 desc i=78 addr=0x8162000 len=2048 flags=0x2 next=0
rt 163 net0 q0 add head=79 ndesc=1 in=2048 indirect=0 req=0
rt 164 net0 q0 desc i=79 addr=0x8162800 len=2048 flags=0x2 next=0
rt 165 net0 q0 add head=80 ndesc=1 in=2048 indirect=0 req=0
rt 166 net0 q0 desc i=80 addr=0x8163000 len=2048 flags=0x2 next=0
rt 167 net0 q0 add head=81 ndesc=1 in=2048 indirect=0 req=0
rt 168 net0 q0 desc i=81 addr=0x8163800 len=2048 flags=0x2 next=0
rt 169 net0 q0 add head=82 ndesc=1 in=2048 indirect=0 req=0
rt 170 net0 q0 desc i=82 addr=0x8164000 len=2048 flags=0x2 next=0
rt 171 net0 q0 add head=83 ndesc=1 in=2048 indirect=0 req=0
rt 172 net0 q0 desc i=83 addr=0x8164800 len=2048 flags=0x2 next=0
rt 173 net0 q0 add head=84 ndesc=1 in=2048 indirect=0 req=0
rt 174 net0 q0 desc i=84 addr=0x8165000 len=2048 flags=0x2 next=0
rt 175 net0 q0 add head=85 ndesc=1 in=2048 indirect=0 req=0
rt 176 net0 q0 desc i=85 addr=0x8165800 len=2048 flags=0x2 next=0
rt 177 net0 q0 add head=86 ndesc=1 in=2048 indirect=0 req=0
rt 178 net0 q0 desc i=86 addr=0x8166000 len=2048 flags=0x2 next=0
rt 179 net0 q0 add head=87 ndesc=1 in=2048 indirect=0 req=0
rt 180 net0 q0 desc i=87 addr=0x8166800 len=2048 flags=0x2 next=0
rt 181 net0 q0 add head=88 ndesc=1 in=2048 indirect=0 req=0
rt 182 net0 q0 desc i=88 addr=0x8167000 len=2048 flags=0x2 next=0
rt 183 net0 q0 add head=89 ndesc=1 in=2048 indirect=0 req=0
rt 184 net0 q0 desc i=89 addr=0x8167800 len=2048 flags=0x2 next=0
rt 185 net0 q0 add head=90 ndesc=1 in=2048 indirect=0 req=0
rt 186 net0 q0 desc i=90 addr=0x8168000 len=2048 flags=0x2 next=0
rt 187 net0 q0 add head=91 ndesc=1 in=2048 indirect=0 req=0
rt 188 net0 q0 desc i=91 addr=0x8168800 len=2048 flags=0x2 next=0
rt 189 net0 q0 add head=92 ndesc=1 in=2048 indirect=0 req=0
rt 190 net0 q0 desc i=92 addr=0x8169000 len=2048 flags=0x2 next=0
rt 191 net0 q0 add head=93 ndesc=1 in=2048 indirect=0 req=0
rt 192 net0 q0 desc i=93 addr=0x8169800 len=2048 flags=0x2 next=0
rt 193 net0 q0 add head=94 ndesc=1 in=2048 indirect=0 req=0
rt 194 net0 q0 desc i=94 addr=0x816a000 len=2048 flags=0x2 next=0
rt 195 net0 q0 add head=95 ndesc=1 in=2048 indirect=0 req=0
rt 196 net0 q0 desc i=95 addr=0x816a800 len=2048 flags=0x2 next=0
rt 197 net0 q0 add head=96 ndesc=1 in=2048 indirect=0 req=0
rt 198 net0 q0 desc i=96 addr=0x816b000 len=2048 flags=0x2 next=0
rt 199 net0 q0 add head=97 ndesc=1 in=2048 indirect=0 req=0
rt 200 net0 q0 desc i=97 addr=0x816b800 len=2048 flags=0x2 next=0
rt 201 net0 q0 add head=98 ndesc=1 in=2048 indirect=0 req=0
rt 202 net0 q0 desc i=98 addr=0x816c000 len=2048 flags=0x2 next=0
rt 203 net0 q0 add head=99 ndesc=1 in=2048 indirect=0 req=0
rt 204 net0 q0 desc i=99 addr=0x816c800 len=2048 flags=0x2 next=0
rt 205 net0 q0 add head=100 ndesc=1 in=2048 indirect=0 req=0
rt 206 net0 q0 desc i=100 addr=0x816d000 len=2048 flags=0x2 next=0
rt 207 net0 q0 add head=101 ndesc=1 in=2048 indirect=0 req=0
rt 208 net0 q0 desc i=101 addr=0x816d800 len=2048 flags=0x2 next=0
rt 209 net0 q0 add head=102 ndesc=1 in=2048 indirect=0 req=0
rt 210 net0 q0 desc i=102 addr=0x816e000 len=2048 flags=0x2 next=0
rt 211 net0 q0 add head=103 ndesc=1 in=2048 indirect=0 req=0
rt 212 net0 q0 desc i=103 addr=0x816e800 len=2048 flags=0x2 next=0
rt 213 net0 q0 add head=104 ndesc=1 in=2048 indirect=0 req=0
rt 214 net0 q0 desc i=104 addr=0x816f000 len=2048 flags=0x2 next=0
rt 215 net0 q0 add head=105 ndesc=1 in=2048 indirect=0 req=0
rt 216 net0 q0 desc i=105 addr=0x816f800 len=2048 flags=0x2 next=0
rt 217 net0 q0 add head=106 ndesc=1 in=2048 indirect=0 req=0
rt 218 net0 q0 desc i=106 addr=0x8170000 len=2048 flags=0x2 next=0
rt 219 net0 q0 add head=107 ndesc=1 in=2048 indirect=0 req=0
rt 220 net0 q0 desc i=107 addr=0x8170800 len=2048 flags=0x2 next=0
rt 221 net0 q0 add head=108 ndesc=1 in=2048 indirect=0 req=0
rt 222 net0 q0 desc i=108 addr=0x8171000 len=2048 flags=0x2 next=0
rt 223 net0 q0 add head=109 ndesc=1 in=2048 indirect=0 req=0
rt 224 net0 q0 desc i=109 addr=0x8171800 len=2048 flags=0x2 next=0
rt 225 net0 q0 add head=110 ndesc=1 in=2048 indirect=0 req=0
rt 226 net0 q0 desc i=110 addr=0x8172000 len=2048 flags=0x2 next=0
rt 227 net0 q0 add head=111 ndesc=1 in=2048 indirect=0 req=0
rt 228 net0 q0 desc i=111 addr=0x8172800 len=2048 flags=0x2 next=0
rt 229 net0 q0 add head=112 ndesc=1 in=2048 indirect=0 req=0
rt 230 net0 q0 desc i=112 addr=0x8173000 len=2048 flags=0x2 next=0
rt 231 net0 q0 add head=113 ndesc=1 in=2048 indirect=0 req=0
rt 232 net0 q0 desc i=113 addr=0x8173800 len=2048 flags=0x2 next=0
rt 233 net0 q0 add head=114 ndesc=1 in=2048 indirect=0 req=0
rt 234 net0 q0 desc i=114 addr=0x8174000 len=2048 flags=0x2 next=0
rt 235 net0 q0 add head=115 ndesc=1 in=2048 indirect=0 req=0
rt 236 net0 q0 desc i=115 addr=0x8174800 len=2048 flags=0x2 next=0
rt 237 net0 q0 add head=116 ndesc=1 in=2048 indirect=0 req=0
rt 238 net0 q0 desc i=116 addr=0x8175000 len=2048 flags=0x2 next=0
rt 239 net0 q0 add head=117 ndesc=1 in=2048 indirect=0 req=0
rt 240 net0 q0 desc i=117 addr=0x8175800 len=2048 flags=0x2 next=0
rt 241 net0 q0 add head=118 ndesc=1 in=2048 indirect=0 req=0
rt 242 net0 q0 desc i=118 addr=0x8176000 len=2048 flags=0x2 next=0
rt 243 net0 q0 add head=119 ndesc=1 in=2048 indirect=0 req=0
rt 244 net0 q0 desc i=119 addr=0x8176800 len=2048 flags=0x2 next=0
rt 245 net0 q0 add head=120 ndesc=1 in=2048 indirect=0 req=0
rt 246 net0 q0 desc i=120 addr=0x8177000 len=2048 flags=0x2 next=0
rt 247 net0 q0 add head=121 ndesc=1 in=2048 indirect=0 req=0
rt 248 net0 q0 desc i=121 addr=0x8177800 len=2048 flags=0x2 next=0
rt 249 net0 q0 add head=122 ndesc=1 in=2048 indirect=0 req=0
rt 250 net0 q0 desc i=122 addr=0x8178000 len=2048 flags=0x2 next=0
rt 251 net0 q0 add head=123 ndesc=1 in=2048 indirect=0 req=0
rt 252 net0 q0 desc i=123 addr=0x8178800 len=2048 flags=0x2 next=0
rt 253 net0 q0 add head=124 ndesc=1 in=2048 indirect=0 req=0
rt 254 net0 q0 desc i=124 addr=0x8179000 len=2048 flags=0x2 next=0
rt 255 net0 q0 add head=125 ndesc=1 in=2048 indirect=0 req=0
rt 256 net0 q0 desc i=125 addr=0x8179800 len=2048 flags=0x2 next=0
rt 257 net0 q0 add head=126 ndesc=1 in=2048 indirect=0 req=0
rt 258 net0 q0 desc i=126 addr=0x817a000 len=2048 flags=0x2 next=0
rt 259 net0 q0 add head=127 ndesc=1 in=2048 indirect=0 req=0
rt 260 net0 q0 desc i=127 addr=0x817a800 len=2048 flags=0x2 next=0
rt 261 net0 q0 add head=128 ndesc=1 in=2048 indirect=0 req=0
rt 262 net0 q0 desc i=128 addr=0x817b000 len=2048 flags=0x2 next=0
rt 263 net0 q0 add head=129 ndesc=1 in=2048 indirect=0 req=0
rt 264 net0 q0 desc i=129 addr=0x817b800 len=2048 flags=0x2 next=0
rt 265 net0 q0 add head=130 ndesc=1 in=2048 indirect=0 req=0
rt 266 net0 q0 desc i=130 addr=0x817c000 len=2048 flags=0x2 next=0
rt 267 net0 q0 add head=131 ndesc=1 in=2048 indirect=0 req=0
rt 268 net0 q0 desc i=131 addr=0x817c800 len=2048 flags=0x2 next=0
rt 269 net0 q0 add head=132 ndesc=1 in=2048 indirect=0 req=0
rt 270 net0 q0 desc i=132 addr=0x817d000 len=2048 flags=0x2 next=0
rt 271 net0 q0 add head=133 ndesc=1 in=2048 indirect=0 req=0
rt 272 net0 q0 desc i=133 addr=0x817d800 len=2048 flags=0x2 next=0
rt 273 net0 q0 add head=134 ndesc=1 in=2048 indirect=0 req=0
rt 274 net0 q0 desc i=134 addr=0x817e000 len=2048 flags=0x2 next=0
rt 275 net0 q0 add head=135 ndesc=1 in=2048 indirect=0 req=0
rt 276 net0 q0 desc i=135 addr=0x817e800 len=2048 flags=0x2 next=0
rt 277 net0 q0 add head=136 ndesc=1 in=2048 indirect=0 req=0
rt 278 net0 q0 desc i=136 addr=0x817f000 len=2048 flags=0x2 next=0
rt 279 net0 q0 add head=137 ndesc=1 in=2048 indirect=0 req=0
rt 280 net0 q0 desc i=137 addr=0x817f800 len=2048 flags=0x2 next=0
rt 281 net0 q0 add head=138 ndesc=1 in=2048 indirect=0 req=0
rt 282 net0 q0 desc i=138 addr=0x8180000 len=2048 flags=0x2 next=0
rt 283 net0 q0 add head=139 ndesc=1 in=2048 indirect=0 req=0
rt 284 net0 q0 desc i=139 addr=0x8180800 len=2048 flags=0x2 next=0
rt 285 net0 q0 add head=140 ndesc=1 in=2048 indirect=0 req=0
rt 286 net0 q0 desc i=140 addr=0x8181000 len=2048 flags=0x2 next=0
rt 287 net0 q0 add head=141 ndesc=1 in=2048 indirect=0 req=0
rt 288 net0 q0 desc i=141 addr=0x8181800 len=2048 flags=0x2 next=0
rt 289 net0 q0 add head=142 ndesc=1 in=2048 indirect=0 req=0
rt 290 net0 q0 desc i=142 addr=0x8182000 len=2048 flags=0x2 next=0
rt 291 net0 q0 add head=143 ndesc=1 in=2048 indirect=0 req=0
rt 292 net0 q0 desc i=143 addr=0x8182800 len=2048 flags=0x2 next=0
rt 293 net0 q0 add head=144 ndesc=1 in=2048 indirect=0 req=0
rt 294 net0 q0 desc i=144 addr=0x8183000 len=2048 flags=0x2 next=0
rt 295 net0 q0 add head=145 ndesc=1 in=2048 indirect=0 req=0
rt 296 net0 q0 desc i=145 addr=0x8183800 len=2048 flags=0x2 next=0
rt 297 net0 q0 add head=146 ndesc=1 in=2048 indirect=0 req=0
rt 298 net0 q0 desc i=146 addr=0x8184000 len=2048 flags=0x2 next=0
rt 299 net0 q0 add head=147 ndesc=1 in=2048 indirect=0 req=0
rt 300 net0 q0 desc i=147 addr=0x8184800 len=2048 flags=0x2 next=0
rt 301 net0 q0 add head=148 ndesc=1 in=2048 indirect=0 req=0
rt 302 net0 q0 desc i=148 addr=0x8185000 len=2048 flags=0x2 next=0
rt 303 net0 q0 add head=149 ndesc=1 in=2048 indirect=0 req=0
rt 304 net0 q0 desc i=149 addr=0x8185800 len=2048 flags=0x2 next=0
rt 305 net0 q0 add head=150 ndesc=1 in=2048 indirect=0 req=0
rt 306 net0 q0 desc i=150 addr=0x8186000 len=2048 flags=0x2 next=0
rt 307 net0 q0 add head=151 ndesc=1 in=2048 indirect=0 req=0
rt 308 net0 q0 desc i=151 addr=0x8186800 len=2048 flags=0x2 next=0
rt 309 net0 q0 add head=152 ndesc=1 in=2048 indirect=0 req=0
rt 310 net0 q0 desc i=152 addr=0x8187000 len=2048 flags=0x2 next=0
rt 311 net0 q0 add head=153 ndesc=1 in=2048 indirect=0 req=0
rt 312 net0 q0 desc i=153 addr=0x8187800 len=2048 flags=0x2 next=0
rt 313 net0 q0 add head=154 ndesc=1 in=2048 indirect=0 req=0
rt 314 net0 q0 desc i=154 addr=0x8188000 len=2048 flags=0x2 next=0
rt 315 net0 q0 add head=155 ndesc=1 in=2048 indirect=0 req=0
rt 316 net0 q0 desc i=155 addr=0x8188800 len=2048 flags=0x2 next=0
rt 317 net0 q0 add head=156 ndesc=1 in=2048 indirect=0 req=0
rt 318 net0 q0 desc i=156 addr=0x8189000 len=2048 flags=0x2 next=0
rt 319 net0 q0 add head=157 ndesc=1 in=2048 indirect=0 req=0
rt 320 net0 q0 desc i=157 addr=0x8189800 len=2048 flags=0x2 next=0
rt 321 net0 q0 add head=158 ndesc=1 in=2048 indirect=0 req=0
rt 322 net0 q0 desc i=158 addr=0x818a000 len=2048 flags=0x2 next=0
rt 323 net0 q0 add head=159 ndesc=1 in=2048 indirect=0 req=0
rt 324 net0 q0 desc i=159 addr=0x818a800 len=2048 flags=0x2 next=0
rt 325 net0 q0 add head=160 ndesc=1 in=2048 indirect=0 req=0
rt 326 net0 q0 desc i=160 addr=0x818b000 len=2048 flags=0x2 next=0
rt 327 net0 q0 add head=161 ndesc=1 in=2048 indirect=0 req=0
rt 328 net0 q0 desc i=161 addr=0x818b800 len=2048 flags=0x2 next=0
rt 329 net0 q0 add head=162 ndesc=1 in=2048 indirect=0 req=0
rt 330 net0 q0 desc i=162 addr=0x818c000 len=2048 flags=0x2 next=0
rt 331 net0 q0 add head=163 ndesc=1 in=2048 indirect=0 req=0
rt 332 net0 q0 desc i=163 addr=0x818c800 len=2048 flags=0x2 next=0
rt 333 net0 q0 add head=164 ndesc=1 in=2048 indirect=0 req=0
rt 334 net0 q0 desc i=164 addr=0x818d000 len=2048 flags=0x2 next=0
rt 335 net0 q0 add head=165 ndesc=1 in=2048 indirect=0 req=0
rt 336 net0 q0 desc i=165 addr=0x818d800 len=2048 flags=0x2 next=0
rt 337 net0 q0 add head=166 ndesc=1 in=2048 indirect=0 req=0
rt 338 net0 q0 desc i=166 addr=0x818e000 len=2048 flags=0x2 next=0
rt 339 net0 q0 add head=167 ndesc=1 in=2048 indirect=0 req=0
rt 340 net0 q0 desc i=167 addr=0x818e800 len=2048 flags=0x2 next=0
rt 341 net0 q0 add head=168 ndesc=1 in=2048 indirect=0 req=0
rt 342 net0 q0 desc i=168 addr=0x818f000 len=2048 flags=0x2 next=0
rt 343 net0 q0 add head=169 ndesc=1 in=2048 indirect=0 req=0
rt 344 net0 q0 desc i=169 addr=0x818f800 len=2048 flags=0x2 next=0
rt 345 net0 q0 add head=170 ndesc=1 in=2048 indirect=0 req=0
rt 346 net0 q0 desc i=170 addr=0x8190000 len=2048 flags=0x2 next=0
rt 347 net0 q0 add head=171 ndesc=1 in=2048 indirect=0 req=0
rt 348 net0 q0 desc i=171 addr=0x8190800 len=2048 flags=0x2 next=0
rt 349 net0 q0 add head=172 ndesc=1 in=2048 indirect=0 req=0
rt 350 net0 q0 desc i=172 addr=0x8191000 len=2048 flags=0x2 next=0
rt 351 net0 q0 add head=173 ndesc=1 in=2048 indirect=0 req=0
rt 352 net0 q0 desc i=173 addr=0x8191800 len=2048 flags=0x2 next=0
rt 353 net0 q0 add head=174 ndesc=1 in=2048 indirect=0 req=0
rt 354 net0 q0 desc i=174 addr=0x8192000 len=2048 flags=0x2 next=0
rt 355 net0 q0 add head=175 ndesc=1 in=2048 indirect=0 req=0
rt 356 net0 q0 desc i=175 addr=0x8192800 len=2048 flags=0x2 next=0
rt 357 net0 q0 add head=176 ndesc=1 in=2048 indirect=0 req=0
rt 358 net0 q0 desc i=176 addr=0x8193000 len=2048 flags=0x2 next=0
rt 359 net0 q0 add head=177 ndesc=1 in=2048 indirect=0 req=0
rt 360 net0 q0 desc i=177 addr=0x8193800 len=2048 flags=0x2 next=0
rt 361 net0 q0 add head=178 ndesc=1 in=2048 indirect=0 req=0
rt 362 net0 q0 desc i=178 addr=0x8194000 len=2048 flags=0x2 next=0
rt 363 net0 q0 add head=179 ndesc=1 in=2048 indirect=0 req=0
rt 364 net0 q0 desc i=179 addr=0x8194800 len=2048 flags=0x2 next=0
rt 365 net0 q0 add head=180 ndesc=1 in=2048 indirect=0 req=0
rt 366 net0 q0 desc i=180 addr=0x8195000 len=2048 flags=0x2 next=0
rt 367 net0 q0 add head=181 ndesc=1 in=2048 indirect=0 req=0
rt 368 net0 q0 desc i=181 addr=0x8195800 len=2048 flags=0x2 next=0
rt 369 net0 q0 add head=182 ndesc=1 in=2048 indirect=0 req=0
rt 370 net0 q0 desc i=182 addr=0x8196000 len=2048 flags=0x2 next=0
rt 371 net0 q0 add head=183 ndesc=1 in=2048 indirect=0 req=0
rt 372 net0 q0 desc i=183 addr=0x8196800 len=2048 flags=0x2 next=0
rt 373 net0 q0 add head=184 ndesc=1 in=2048 indirect=0 req=0
rt 374 net0 q0 desc i=184 addr=0x8197000 len=2048 flags=0x2 next=0
rt 375 net0 q0 add head=185 ndesc=1 in=2048 indirect=0 req=0
rt 376 net0 q0 desc i=185 addr=0x8197800 len=2048 flags=0x2 next=0
rt 377 net0 q0 add head=186 ndesc=1 in=2048 indirect=0 req=0
rt 378 net0 q0 desc i=186 addr=0x8198000 len=2048 flags=0x2 next=0
rt 379 net0 q0 add head=187 ndesc=1 in=2048 indirect=0 req=0
rt 380 net0 q0 desc i=187 addr=0x8198800 len=2048 flags=0x2 next=0
rt 381 net0 q0 add head=188 ndesc=1 in=2048 indirect=0 req=0
rt 382 net0 q0 desc i=188 addr=0x8199000 len=2048 flags=0x2 next=0
rt 383 net0 q0 add head=189 ndesc=1 in=2048 indirect=0 req=0
rt 384 net0 q0 desc i=189 addr=0x8199800 len=2048 flags=0x2 next=0
rt 385 net0 q0 add head=190 ndesc=1 in=2048 indirect=0 req=0
rt 386 net0 q0 desc i=190 addr=0x819a000 len=2048 flags=0x2 next=0
rt 387 net0 q0 add head=191 ndesc=1 in=2048 indirect=0 req=0
rt 388 net0 q0 desc i=191 addr=0x819a800 len=2048 flags=0x2 next=0
rt 389 net0 q0 add head=192 ndesc=1 in=2048 indirect=0 req=0
rt 390 net0 q0 desc i=192 addr=0x819b000 len=2048 flags=0x2 next=0
rt 391 net0 q0 add head=193 ndesc=1 in=2048 indirect=0 req=0
rt 392 net0 q0 desc i=193 addr=0x819b800 len=2048 flags=0x2 next=0
rt 393 net0 q0 add head=194 ndesc=1 in=2048 indirect=0 req=0
rt 394 net0 q0 desc i=194 addr=0x819c000 len=2048 flags=0x2 next=0
rt 395 net0 q0 add head=195 ndesc=1 in=2048 indirect=0 req=0
rt 396 net0 q0 desc i=195 addr=0x819c800 len=2048 flags=0x2 next=0
rt 397 net0 q0 add head=196 ndesc=1 in=2048 indirect=0 req=0
rt 398 net0 q0 desc i=196 addr=0x819d000 len=2048 flags=0x2 next=0
rt 399 net0 q0 add head=197 ndesc=1 in=2048 indirect=0 req=0
rt 400 net0 q0 desc i=197 addr=0x819d800 len=2048 flags=0x2 next=0
rt 401 net0 q0 add head=198 ndesc=1 in=2048 indirect=0 req=0
rt 402 net0 q0 desc i=198 addr=0x819e000 len=2048 flags=0x2 next=0
rt 403 net0 q0 add head=199 ndesc=1 in=2048 indirect=0 req=0
rt 404 net0 q0 desc i=199 addr=0x819e800 len=2048 flags=0x2 next=0
rt 405 net0 q0 add head=200 ndesc=1 in=2048 indirect=0 req=0
rt 406 net0 q0 desc i=200 addr=0x819f000 len=2048 flags=0x2 next=0
rt 407 net0 q0 add head=201 ndesc=1 in=2048 indirect=0 req=0
rt 408 net0 q0 desc i=201 addr=0x819f800 len=2048 flags=0x2 next=0
rt 409 net0 q0 add head=202 ndesc=1 in=2048 indirect=0 req=0
rt 410 net0 q0 desc i=202 addr=0x81a0000 len=2048 flags=0x2 next=0
rt 411 net0 q0 add head=203 ndesc=1 in=2048 indirect=0 req=0
rt 412 net0 q0 desc i=203 addr=0x81a0800 len=2048 flags=0x2 next=0
rt 413 net0 q0 add head=204 ndesc=1 in=2048 indirect=0 req=0
rt 414 net0 q0 desc i=204 addr=0x81a1000 len=2048 flags=0x2 next=0
rt 415 net0 q0 add head=205 ndesc=1 in=2048 indirect=0 req=0
rt 416 net0 q0 desc i=205 addr=0x81a1800 len=2048 flags=0x2 next=0
rt 417 net0 q0 add head=206 ndesc=1 in=2048 indirect=0 req=0
rt 418 net0 q0 desc i=206 addr=0x81a2000 len=2048 flags=0x2 next=0
rt 419 net0 q0 add head=207 ndesc=1 in=2048 indirect=0 req=0
rt 420 net0 q0 desc i=207 addr=0x81a2800 len=2048 flags=0x2 next=0
rt 421 net0 q0 add head=208 ndesc=1 in=2048 indirect=0 req=0
rt 422 net0 q0 desc i=208 addr=0x81a3000 len=2048 flags=0x2 next=0
rt 423 net0 q0 add head=209 ndesc=1 in=2048 indirect=0 req=0
rt 424 net0 q0 desc i=209 addr=0x81a3800 len=2048 flags=0x2 next=0
rt 425 net0 q0 add head=210 ndesc=1 in=2048 indirect=0 req=0
rt 426 net0 q0 desc i=210 addr=0x81a4000 len=2048 flags=0x2 next=0
rt 427 net0 q0 add head=211 ndesc=1 in=2048 indirect=0 req=0
rt 428 net0 q0 desc i=211 addr=0x81a4800 len=2048 flags=0x2 next=0
rt 429 net0 q0 add head=212 ndesc=1 in=2048 indirect=0 req=0
rt 430 net0 q0 desc i=212 addr=0x81a5000 len=2048 flags=0x2 next=0
rt 431 net0 q0 add head=213 ndesc=1 in=2048 indirect=0 req=0
rt 432 net0 q0 desc i=213 addr=0x81a5800 len=2048 flags=0x2 next=0
rt 433 net0 q0 add head=214 ndesc=1 in=2048 indirect=0 req=0
rt 434 net0 q0 desc i=214 addr=0x81a6000 len=2048 flags=0x2 next=0
rt 435 net0 q0 add head=215 ndesc=1 in=2048 indirect=0 req=0
rt 436 net0 q0 desc i=215 addr=0x81a6800 len=2048 flags=0x2 next=0
rt 437 net0 q0 add head=216 ndesc=1 in=2048 indirect=0 req=0
rt 438 net0 q0 desc i=216 addr=0x81a7000 len=2048 flags=0x2 next=0
rt 439 net0 q0 add head=217 ndesc=1 in=2048 indirect=0 req=0
rt 440 net0 q0 desc i=217 addr=0x81a7800 len=2048 flags=0x2 next=0
rt 441 net0 q0 add head=218 ndesc=1 in=2048 indirect=0 req=0
rt 442 net0 q0 desc i=218 addr=0x81a8000 len=2048 flags=0x2 next=0
rt 443 net0 q0 add head=219 ndesc=1 in=2048 indirect=0 req=0
rt 444 net0 q0 desc i=219 addr=0x81a8800 len=2048 flags=0x2 next=0
rt 445 net0 q0 add head=220 ndesc=1 in=2048 indirect=0 req=0
rt 446 net0 q0 desc i=220 addr=0x81a9000 len=2048 flags=0x2 next=0
rt 447 net0 q0 add head=221 ndesc=1 in=2048 indirect=0 req=0
rt 448 net0 q0 desc i=221 addr=0x81a9800 len=2048 flags=0x2 next=0
rt 449 net0 q0 add head=222 ndesc=1 in=2048 indirect=0 req=0
rt 450 net0 q0 desc i=222 addr=0x81aa000 len=2048 flags=0x2 next=0
rt 451 net0 q0 add head=223 ndesc=1 in=2048 indirect=0 req=0
rt 452 net0 q0 desc i=223 addr=0x81aa800 len=2048 flags=0x2 next=0
rt 453 net0 q0 add head=224 ndesc=1 in=2048 indirect=0 req=0
rt 454 net0 q0 desc i=224 addr=0x81ab000 len=2048 flags=0x2 next=0
rt 455 net0 q0 add head=225 ndesc=1 in=2048 indirect=0 req=0
rt 456 net0 q0 desc i=225 addr=0x81ab800 len=2048 flags=0x2 next=0
rt 457 net0 q0 add head=226 ndesc=1 in=2048 indirect=0 req=0
rt 458 net0 q0 desc i=226 addr=0x81ac000 len=2048 flags=0x2 next=0
rt 459 net0 q0 add head=227 ndesc=1 in=2048 indirect=0 req=0
rt 460 net0 q0 desc i=227 addr=0x81ac800 len=2048 flags=0x2 next=0
rt 461 net0 q0 add head=228 ndesc=1 in=2048 indirect=0 req=0
rt 462 net0 q0 desc i=228 addr=0x81ad000 len=2048 flags=0x2 next=0
rt 463 net0 q0 add head=229 ndesc=1 in=2048 indirect=0 req=0
rt 464 net0 q0 desc i=229 addr=0x81ad800 len=2048 flags=0x2 next=0
rt 465 net0 q0 add head=230 ndesc=1 in=2048 indirect=0 req=0
rt 466 net0 q0 desc i=230 addr=0x81ae000 len=2048 flags=0x2 next=0
rt 467 net0 q0 add head=231 ndesc=1 in=2048 indirect=0 req=0
rt 468 net0 q0 desc i=231 addr=0x81ae800 len=2048 flags=0x2 next=0
rt 469 net0 q0 add head=232 ndesc=1 in=2048 indirect=0 req=0
rt 470 net0 q0 desc i=232 addr=0x81af000 len=2048 flags=0x2 next=0
rt 471 net0 q0 add head=233 ndesc=1 in=2048 indirect=0 req=0
rt 472 net0 q0 desc i=233 addr=0x81af800 len=2048 flags=0x2 next=0
rt 473 net0 q0 add head=234 ndesc=1 in=2048 indirect=0 req=0
rt 474 net0 q0 desc i=234 addr=0x81b0000 len=2048 flags=0x2 next=0
rt 475 net0 q0 add head=235 ndesc=1 in=2048 indirect=0 req=0
rt 476 net0 q0 desc i=235 addr=0x81b0800 len=2048 flags=0x2 next=0
rt 477 net0 q0 add head=236 ndesc=1 in=2048 indirect=0 req=0
rt 478 net0 q0 desc i=236 addr=0x81b1000 len=2048 flags=0x2 next=0
rt 479 net0 q0 add head=237 ndesc=1 in=2048 indirect=0 req=0
rt 480 net0 q0 desc i=237 addr=0x81b1800 len=2048 flags=0x2 next=0
rt 481 net0 q0 add head=238 ndesc=1 in=2048 indirect=0 req=0
rt 482 net0 q0 desc i=238 addr=0x81b2000 len=2048 flags=0x2 next=0
rt 483 net0 q0 add head=239 ndesc=1 in=2048 indirect=0 req=0
rt 484 net0 q0 desc i=239 addr=0x81b2800 len=2048 flags=0x2 next=0
rt 485 net0 q0 add head=240 ndesc=1 in=2048 indirect=0 req=0
rt 486 net0 q0 desc i=240 addr=0x81b3000 len=2048 flags=0x2 next=0
rt 487 net0 q0 add head=241 ndesc=1 in=2048 indirect=0 req=0
rt 488 net0 q0 desc i=241 addr=0x81b3800 len=2048 flags=0x2 next=0
rt 489 net0 q0 add head=242 ndesc=1 in=2048 indirect=0 req=0
rt 490 net0 q0 desc i=242 addr=0x81b4000 len=2048 flags=0x2 next=0
rt 491 net0 q0 add head=243 ndesc=1 in=2048 indirect=0 req=0
rt 492 net0 q0 desc i=243 addr=0x81b4800 len=2048 flags=0x2 next=0
rt 493 net0 q0 add head=244 ndesc=1 in=2048 indirect=0 req=0
rt 494 net0 q0 desc i=244 addr=0x81b5000 len=2048 flags=0x2 next=0
rt 495 net0 q0 add head=245 ndesc=1 in=2048 indirect=0 req=0
rt 496 net0 q0 desc i=245 addr=0x81b5800 len=2048 flags=0x2 next=0
rt 497 net0 q0 add head=246 ndesc=1 in=2048 indirect=0 req=0
rt 498 net0 q0 desc i=246 addr=0x81b6000 len=2048 flags=0x2 next=0
rt 499 net0 q0 add head=247 ndesc=1 in=2048 indirect=0 req=0
rt 500 net0 q0 desc i=247 addr=0x81b6800 len=2048 flags=0x2 next=0
rt 501 net0 q0 add head=248 ndesc=1 in=2048 indirect=0 req=0
rt 502 net0 q0 desc i=248 addr=0x81b7000 len=2048 flags=0x2 next=0
rt 503 net0 q0 add head=249 ndesc=1 in=2048 indirect=0 req=0
rt 504 net0 q0 desc i=249 addr=0x81b7800 len=2048 flags=0x2 next=0
rt 505 net0 q0 add head=250 ndesc=1 in=2048 indirect=0 req=0
rt 506 net0 q0 desc i=250 addr=0x81b8000 len=2048 flags=0x2 next=0
rt 507 net0 q0 add head=251 ndesc=1 in=2048 indirect=0 req=0
rt 508 net0 q0 desc i=251 addr=0x81b8800 len=2048 flags=0x2 next=0
rt 509 net0 q0 add head=252 ndesc=1 in=2048 indirect=0 req=0
rt 510 net0 q0 desc i=252 addr=0x81b9000 len=2048 flags=0x2 next=0
rt 511 net0 q0 add head=253 ndesc=1 in=2048 indirect=0 req=0
rt 512 net0 q0 desc i=253 addr=0x81b9800 len=2048 flags=0x2 next=0
rt 513 net0 q0 add head=254 ndesc=1 in=2048 indirect=0 req=0
rt 514 net0 q0 desc i=254 addr=0x81ba000 len=2048 flags=0x2 next=0
rt 515 net0 q0 add head=255 ndesc=1 in=2048 indirect=0 req=0
rt 516 net0 q0 desc i=255 addr=0x81ba800 len=2048 flags=0x2 next=0
rt 517 net0 q0 avail slot=3 head=3
rt 518 net0 q0 avail slot=4 head=4
rt 519 net0 q0 avail slot=5 head=5
rt 520 net0 q0 avail slot=6 head=6
rt 521 net0 q0 avail slot=7 head=7
rt 522 net0 q0 avail slot=8 head=8
rt 523 net0 q0 avail slot=9 head=9
rt 524 net0 q0 avail slot=10 head=10
rt 525 net0 q0 avail slot=11 head=11
rt 526 net0 q0 avail slot=12 head=12
rt 527 net0 q0 avail slot=13 head=13
rt 528 net0 q0 avail slot=14 head=14
rt 529 net0 q0 avail slot=15 head=15
rt 530 net0 q0 avail slot=16 head=16
rt 531 net0 q0 avail slot=17 head=17
rt 532 net0 q0 avail slot=18 head=18
rt 533 net0 q0 avail slot=19 head=19
rt 534 net0 q0 avail slot=20 head=20
rt 535 net0 q0 avail slot=21 head=21
rt 536 net0 q0 avail slot=22 head=22
rt 537 net0 q0 avail slot=23 head=23
rt 538 net0 q0 avail slot=24 head=24
rt 539 net0 q0 avail slot=25 head=25
rt 540 net0 q0 avail slot=26 head=26
rt 541 net0 q0 avail slot=27 head=27
rt 542 net0 q0 avail slot=28 head=28
rt 543 net0 q0 avail slot=29 head=29
rt 544 net0 q0 avail slot=30 head=30
rt 545 net0 q0 avail slot=31 head=31
rt 546 net0 q0 avail slot=32 head=32
rt 547 net0 q0 avail slot=33 head=33
rt 548 net0 q0 avail slot=34 head=34
rt 549 net0 q0 avail slot=35 head=35
rt 550 net0 q0 avail slot=36 head=36
rt 551 net0 q0 avail slot=37 head=37
rt 552 net0 q0 avail slot=38 head=38
rt 553 net0 q0 avail slot=39 head=39
rt 554 net0 q0 avail slot=40 head=40
rt 555 net0 q0 avail slot=41 head=41
rt 556 net0 q0 avail slot=42 head=42
rt 557 net0 q0 avail slot=43 head=43
rt 558 net0 q0 avail slot=44 head=44
rt 559 net0 q0 avail slot=45 head=45
rt 560 net0 q0 avail slot=46 head=46
rt 561 net0 q0 avail slot=47 head=47
rt 562 net0 q0 avail slot=48 head=48
rt 563 net0 q0 avail slot=49 head=49
rt 564 net0 q0 avail slot=50 head=50
rt 565 net0 q0 avail slot=51 head=51
rt 566 net0 q0 avail slot=52 head=52
rt 567 net0 q0 avail slot=53 head=53
rt 568 net0 q0 avail slot=54 head=54
rt 569 net0 q0 avail slot=55 head=55
rt 570 net0 q0 avail slot=56 head=56
rt 571 net0 q0 avail slot=57 head=57
rt 572 net0 q0 avail slot=58 head=58
rt 573 net0 q0 avail slot=59 head=59
rt 574 net0 q0 avail slot=60 head=60
rt 575 net0 q0 avail slot=61 head=61
rt 576 net0 q0 avail slot=62 head=62
rt 577 net0 q0 avail slot=63 head=63
rt 578 net0 q0 avail slot=64 head=64
rt 579 net0 q0 avail slot=65 head=65
rt 580 net0 q0 avail slot=66 head=66
rt 581 net0 q0 avail slot=67 head=67
rt 582 net0 q0 avail slot=68 head=68
rt 583 net0 q0 avail slot=69 head=69
rt 584 net0 q0 avail slot=70 head=70
rt 585 net0 q0 avail slot=71 head=71
rt 586 net0 q0 avail slot=72 head=72
rt 587 net0 q0 avail slot=73 head=73
rt 588 net0 q0 avail slot=74 head=74
rt 589 net0 q0 avail slot=75 head=75
rt 590 net0 q0 avail slot=76 head=76
rt 591 net0 q0 avail slot=77 head=77
rt 592 net0 q0 avail slot=78 head=78
rt 593 net0 q0 avail slot=79 head=79
rt 594 net0 q0 avail slot=80 head=80
rt 595 net0 q0 avail slot=81 head=81
rt 596 net0 q0 avail slot=82 head=82
rt 597 net0 q0 avail slot=83 head=83
rt 598 net0 q0 avail slot=84 head=84
rt 599 net0 q0 avail slot=85 head=85
rt 600 net0 q0 avail slot=86 head=86
rt 601 net0 q0 avail slot=87 head=87
rt 602 net0 q0 avail slot=88 head=88
rt 603 net0 q0 avail slot=89 head=89
rt 604 net0 q0 avail slot=90 head=90
rt 605 net0 q0 avail slot=91 head=91
rt 606 net0 q0 avail slot=92 head=92
rt 607 net0 q0 avail slot=93 head=93
rt 608 net0 q0 avail slot=94 head=94
rt 609 net0 q0 avail slot=95 head=95
rt 610 net0 q0 avail slot=96 head=96
rt 611 net0 q0 avail slot=97 head=97
rt 612 net0 q0 avail slot=98 head=98
rt 613 net0 q0 avail slot=99 head=99
rt 614 net0 q0 avail slot=100 head=100
rt 615 net0 q0 avail slot=101 head=101
rt 616 net0 q0 avail slot=102 head=102
rt 617 net0 q0 avail slot=103 head=103
rt 618 net0 q0 avail slot=104 head=104
rt 619 net0 q0 avail slot=105 head=105
rt 620 net0 q0 avail slot=106 head=106
rt 621 net0 q0 avail slot=107 head=107
rt 622 net0 q0 avail slot=108 head=108
rt 623 net0 q0 avail slot=109 head=109
rt 624 net0 q0 avail slot=110 head=110
rt 625 net0 q0 avail slot=111 head=111
rt 626 net0 q0 avail slot=112 head=112
rt 627 net0 q0 avail slot=113 head=113
rt 628 net0 q0 avail slot=114 head=114
rt 629 net0 q0 avail slot=115 head=115
rt 630 net0 q0 avail slot=116 head=116
rt 631 net0 q0 avail slot=117 head=117
rt 632 net0 q0 avail slot=118 head=118
rt 633 net0 q0 avail slot=119 head=119
rt 634 net0 q0 avail slot=120 head=120
rt 635 net0 q0 avail slot=121 head=121
rt 636 net0 q0 avail slot=122 head=122
rt 637 net0 q0 avail slot=123 head=123
rt 638 net0 q0 avail slot=124 head=124
rt 639 net0 q0 avail slot=125 head=125
rt 640 net0 q0 avail slot=126 head=126
rt 641 net0 q0 avail slot=127 head=127
rt 642 net0 q0 avail slot=128 head=128
rt 643 net0 q0 avail slot=129 head=129
rt 644 net0 q0 avail slot=130 head=130
rt 645 net0 q0 avail slot=131 head=131
rt 646 net0 q0 avail slot=132 head=132
rt 647 net0 q0 avail slot=133 head=133
rt 648 net0 q0 avail slot=134 head=134
rt 649 net0 q0 avail slot=135 head=135
rt 650 net0 q0 avail slot=136 head=136
rt 651 net0 q0 avail slot=137 head=137
rt 652 net0 q0 avail slot=138 head=138
rt 653 net0 q0 avail slot=139 head=139
rt 654 net0 q0 avail slot=140 head=140
rt 655 net0 q0 avail slot=141 head=141
rt 656 net0 q0 avail slot=142 head=142
rt 657 net0 q0 avail slot=143 head=143
rt 658 net0 q0 avail slot=144 head=144
rt 659 net0 q0 avail slot=145 head=145
rt 660 net0 q0 avail slot=146 head=146
rt 661 net0 q0 avail slot=147 head=147
rt 662 net0 q0 avail slot=148 head=148
rt 663 net0 q0 avail slot=149 head=149
rt 664 net0 q0 avail slot=150 head=150
rt 665 net0 q0 avail slot=151 head=151
rt 666 net0 q0 avail slot=152 head=152
rt 667 net0 q0 avail slot=153 head=153
rt 668 net0 q0 avail slot=154 head=154
rt 669 net0 q0 avail slot=155 head=155
rt 670 net0 q0 avail slot=156 head=156
rt 671 net0 q0 avail slot=157 head=157
rt 672 net0 q0 avail slot=158 head=158
rt 673 net0 q0 avail slot=159 head=159
rt 674 net0 q0 avail slot=160 head=160
rt 675 net0 q0 avail slot=161 head=161
rt 676 net0 q0 avail slot=162 head=162
rt 677 net0 q0 avail slot=163 head=163
rt 678 net0 q0 avail slot=164 head=164
rt 679 net0 q0 avail slot=165 head=165
rt 680 net0 q0 avail slot=166 head=166
rt 681 net0 q0 avail slot=167 head=167
rt 682 net0 q0 avail slot=168 head=168
rt 683 net0 q0 avail slot=169 head=169
rt 684 net0 q0 avail slot=170 head=170
rt 685 net0 q0 avail slot=171 head=171
rt 686 net0 q0 avail slot=172 head=172
rt 687 net0 q0 avail slot=173 head=173
rt 688 net0 q0 avail slot=174 head=174
rt 689 net0 q0 avail slot=175 head=175
rt 690 net0 q0 avail slot=176 head=176
rt 691 net0 q0 avail slot=177 head=177
rt 692 net0 q0 avail slot=178 head=178
rt 693 net0 q0 avail slot=179 head=179
rt 694 net0 q0 avail slot=180 head=180
rt 695 net0 q0 avail slot=181 head=181
rt 696 net0 q0 avail slot=182 head=182
rt 697 net0 q0 avail slot=183 head=183
rt 698 net0 q0 avail slot=184 head=184
rt 699 net0 q0 avail slot=185 head=185
rt 700 net0 q0 avail slot=186 head=186
rt 701 net0 q0 avail slot=187 head=187
rt 702 net0 q0 avail slot=188 head=188
rt 703 net0 q0 avail slot=189 head=189
rt 704 net0 q0 avail slot=190 head=190
rt 705 net0 q0 avail slot=191 head=191
rt 706 net0 q0 avail slot=192 head=192
rt 707 net0 q0 avail slot=193 head=193
rt 708 net0 q0 avail slot=194 head=194
rt 709 net0 q0 avail slot=195 head=195
rt 710 net0 q0 avail slot=196 head=196
rt 711 net0 q0 avail slot=197 head=197
rt 712 net0 q0 avail slot=198 head=198
rt 713 net0 q0 avail slot=199 head=199
rt 714 net0 q0 avail slot=200 head=200
rt 715 net0 q0 avail slot=201 head=201
rt 716 net0 q0 avail slot=202 head=202
rt 717 net0 q0 avail slot=203 head=203
rt 718 net0 q0 avail slot=204 head=204
rt 719 net0 q0 avail slot=205 head=205
rt 720 net0 q0 avail slot=206 head=206
rt 721 net0 q0 avail slot=207 head=207
rt 722 net0 q0 avail slot=208 head=208
rt 723 net0 q0 avail slot=209 head=209
rt 724 net0 q0 avail slot=210 head=210
rt 725 net0 q0 avail slot=211 head=211
rt 726 net0 q0 avail slot=212 head=212
rt 727 net0 q0 avail slot=213 head=213
rt 728 net0 q0 avail slot=214 head=214
rt 729 net0 q0 avail slot=215 head=215
rt 730 net0 q0 avail slot=216 head=216
rt 731 net0 q0 avail slot=217 head=217
rt 732 net0 q0 avail slot=218 head=218
rt 733 net0 q0 avail slot=219 head=219
rt 734 net0 q0 avail slot=220 head=220
rt 735 net0 q0 avail slot=221 head=221
rt 736 net0 q0 avail slot=222 head=222
rt 737 net0 q0 avail slot=223 head=223
rt 738 net0 q0 avail slot=224 head=224
rt 739 net0 q0 avail slot=225 head=225
rt 740 net0 q0 avail slot=226 head=226
rt 741 net0 q0 avail slot=227 head=227
rt 742 net0 q0 avail slot=228 head=228
rt 743 net0 q0 avail slot=229 head=229
rt 744 net0 q0 avail slot=230 head=230
rt 745 net0 q0 avail slot=231 head=231
rt 746 net0 q0 avail slot=232 head=232
rt 747 net0 q0 avail slot=233 head=233
rt 748 net0 q0 avail slot=234 head=234
rt 749 net0 q0 avail slot=235 head=235
rt 750 net0 q0 avail slot=236 head=236
rt 751 net0 q0 avail slot=237 head=237
rt 752 net0 q0 avail slot=238 head=238
rt 753 net0 q0 avail slot=239 head=239
rt 754 net0 q0 avail slot=240 head=240
rt 755 net0 q0 avail slot=241 head=241
rt 756 net0 q0 avail slot=242 head=242
rt 757 net0 q0 avail slot=243 head=243
rt 758 net0 q0 avail slot=244 head=244
rt 759 net0 q0 avail slot=245 head=245
rt 760 net0 q0 avail slot=246 head=246
rt 761 net0 q0 avail slot=247 head=247
rt 762 net0 q0 avail slot=248 head=248
rt 763 net0 q0 avail slot=249 head=249
rt 764 net0 q0 avail slot=250 head=250
rt 765 net0 q0 avail slot=251 head=251
rt 766 net0 q0 avail slot=252 head=252
rt 767 net0 q0 avail slot=253 head=253
rt 768 net0 q0 avail slot=254 head=254
rt 769 net0 q0 avail slot=255 head=255
rt 770 net0 q0 avail slot=0 head=0
rt 771 net0 q0 avail slot=1 head=1
rt 772 net0 q0 avail slot=2 head=2
rt 773 blk0 q0 queue layout=split size=256 event_idx=1 indirect=1 desc=0x80cf000 driver=0x80d0000 device=0x80d1000
rt 774 blk0 q0 state avail_idx=0 used_idx=0 last_used=0 inflight=0 used_event=0 avail_event=0 avail_flags=0 used_flags=0
rt 775 blk0 q0 add head=0 ndesc=1 in=21 indirect=1 req=1
rt 776 blk0 q0 desc i=0 addr=0x80d2000 len=48 flags=0x4 next=0
rt 777 blk0 q0 idesc head=0 k=0 addr=0x80f4fd0 len=16 flags=0x1 next=1
rt 778 blk0 q0 idesc head=0 k=1 addr=0x14ed30 len=20 flags=0x3 next=2
rt 779 blk0 q0 idesc head=0 k=2 addr=0x80f4ff0 len=1 flags=0x2 next=0
rt 780 blk0 q0 avail slot=0 head=0
rt 781 blk0 q0 avail_idx idx=1
rt 782 blk0 q0 kick_prepare need=1 added=1 avail_idx=1 avail_event=0
rt 783 blk0 q0 notify idx=1 wrap=0
rt 784 blk0 q0 irq used_idx=1 last_used=0
rt 785 blk0 q0 used slot=0 id=0 len=21 used_idx=1 last_used=1
rt 786 blk0 q0 event on=1 used_event=1
rt 787 blk0 q0 add head=0 ndesc=1 in=4097 indirect=1 req=2
rt 788 blk0 q0 desc i=0 addr=0x80d2000 len=64 flags=0x4 next=0
rt 789 blk0 q0 idesc head=0 k=0 addr=0x80f4fd0 len=16 flags=0x1 next=1
rt 790 blk0 q0 idesc head=0 k=1 addr=0x2d0900 len=1792 flags=0x3 next=2
rt 791 blk0 q0 idesc head=0 k=2 addr=0x2d1000 len=2304 flags=0x3 next=3
rt 792 blk0 q0 idesc head=0 k=3 addr=0x80f4ff0 len=1 flags=0x2 next=0
rt 793 blk0 q0 avail slot=1 head=0
rt 794 blk0 q0 avail_idx idx=2
rt 795 blk0 q0 kick_prepare need=1 added=1 avail_idx=2 avail_event=1
rt 796 blk0 q0 notify idx=2 wrap=0
rt 797 blk0 q0 irq used_idx=2 last_used=1
rt 798 blk0 q0 used slot=1 id=0 len=4097 used_idx=2 last_used=2
rt 799 blk0 q0 event on=1 used_event=2
rt 800 net0 q1 add head=3 ndesc=1 in=0 indirect=0 req=5
rt 801 net0 q1 desc i=3 addr=0x8239000 len=110 flags=0x0 next=0
rt 802 net0 q1 avail slot=4 head=3
rt 803 net0 q1 avail_idx idx=5
rt 804 net0 q1 kick_prepare need=1 added=1 avail_idx=5 avail_event=4
rt 805 net0 q1 notify idx=5 wrap=0
rt 806 net0 q1 irq used_idx=5 last_used=4
rt 807 net0 q0 irq used_idx=4 last_used=3
rt 808 net0 q0 used slot=3 id=3 len=110 used_idx=4 last_used=4
rt 809 net0 q0 add head=3 ndesc=1 in=2048 indirect=0 req=260
rt 810 net0 q0 desc i=3 addr=0x813c800 len=2048 flags=0x2 next=0
rt 811 net0 q0 avail slot=3 head=3
rt 812 net0 q0 avail_idx idx=260
rt 813 net0 q0 kick_prepare need=0 added=1 avail_idx=260 avail_event=0
rt 814 net0 q0 event on=1 used_event=4
rt 815 net0 q1 used slot=4 id=3 len=0 used_idx=5 last_used=5
rt 816 net0 q1 event on=1 used_event=5
rt 817 net0 q0 irq used_idx=5 last_used=4
rt 818 net0 q0 used slot=4 id=4 len=97 used_idx=5 last_used=5
rt 819 net0 q1 add head=3 ndesc=1 in=0 indirect=0 req=6
rt 820 net0 q1 desc i=3 addr=0x8239000 len=89 flags=0x0 next=0
rt 821 net0 q1 avail slot=5 head=3
rt 822 net0 q1 avail_idx idx=6
rt 823 net0 q1 kick_prepare need=1 added=1 avail_idx=6 avail_event=5
rt 824 net0 q1 notify idx=6 wrap=0
rt 825 blk0 q0 add head=0 ndesc=1 in=8193 indirect=1 req=3
rt 826 blk0 q0 desc i=0 addr=0x80d2000 len=64 flags=0x4 next=0
rt 827 blk0 q0 idesc head=0 k=0 addr=0x80f4fd0 len=16 flags=0x1 next=1
rt 828 blk0 q0 idesc head=0 k=1 addr=0x823b000 len=4096 flags=0x3 next=2
rt 829 net0 q1 irq used_idx=6 last_used=5
rt 830 blk0 q0 idesc head=0 k=2 addr=0x823c000 len=4096 flags=0x3 next=3
rt 831 blk0 q0 idesc head=0 k=3 addr=0x80f4ff0 len=1 flags=0x2 next=0
rt 832 blk0 q0 avail slot=2 head=0
rt 833 blk0 q0 avail_idx idx=3
rt 834 blk0 q0 kick_prepare need=1 added=1 avail_idx=3 avail_event=2
rt 835 blk0 q0 notify idx=3 wrap=0
rt 836 net0 q0 add head=4 ndesc=1 in=2048 indirect=0 req=261
rt 837 blk0 q0 irq used_idx=3 last_used=2
rt 838 net0 q0 desc i=4 addr=0x813d000 len=2048 flags=0x2 next=0
rt 839 net0 q0 avail slot=4 head=4
rt 840 net0 q0 avail_idx idx=261
rt 841 net0 q0 kick_prepare need=0 added=1 avail_idx=261 avail_event=0
rt 842 net0 q0 event on=1 used_event=5
rt 843 net0 q1 used slot=5 id=3 len=0 used_idx=6 last_used=6
rt 844 net0 q1 event on=1 used_event=6
rt 845 blk0 q0 used slot=2 id=0 len=8193 used_idx=3 last_used=3
rt 846 blk0 q0 event on=1 used_event=3
rt 847 net0 q0 irq used_idx=6 last_used=5
rt 848 net0 q0 used slot=5 id=5 len=58 used_idx=6 last_used=6
rt 849 net0 q1 add head=3 ndesc=1 in=0 indirect=0 req=7
rt 850 net0 q1 desc i=3 addr=0x8239000 len=570 flags=0x0 next=0
rt 851 net0 q1 avail slot=6 head=3
rt 852 net0 q1 avail_idx idx=7
rt 853 net0 q1 kick_prepare need=1 added=1 avail_idx=7 avail_event=6
rt 854 net0 q1 notify idx=7 wrap=0
rt 855 net0 q0 add head=5 ndesc=1 in=2048 indirect=0 req=262
rt 856 net0 q1 irq used_idx=7 last_used=6
rt 857 net0 q0 desc i=5 addr=0x813d800 len=2048 flags=0x2 next=0
rt 858 net0 q0 avail slot=5 head=5
rt 859 net0 q0 avail_idx idx=262
rt 860 net0 q0 kick_prepare need=0 added=1 avail_idx=262 avail_event=0
rt 861 net0 q0 event on=1 used_event=6
rt 862 net0 q1 used slot=6 id=3 len=0 used_idx=7 last_used=7
rt 863 net0 q1 event on=1 used_event=7
rt 864 net0 q0 irq used_idx=7 last_used=6
rt 865 net0 q0 used slot=6 id=6 len=58 used_idx=7 last_used=7
rt 866 net0 q1 add head=3 ndesc=1 in=0 indirect=0 req=8
rt 867 net0 q1 desc i=3 addr=0x8239000 len=570 flags=0x0 next=0
rt 868 net0 q1 avail slot=7 head=3
rt 869 net0 q1 avail_idx idx=8
rt 870 net0 q1 kick_prepare need=1 added=1 avail_idx=8 avail_event=7
rt 871 net0 q1 notify idx=8 wrap=0
rt 872 net0 q0 add head=6 ndesc=1 in=2048 indirect=0 req=263
rt 873 net0 q0 desc i=6 addr=0x813e000 len=2048 flags=0x2 next=0
rt 874 net0 q1 irq used_idx=8 last_used=7
rt 875 net0 q0 avail slot=6 head=6
rt 876 net0 q0 avail_idx idx=263
rt 877 net0 q0 used slot=7 id=7 len=58 used_idx=8 last_used=8
rt 878 net0 q1 add head=2 ndesc=1 in=0 indirect=0 req=9
rt 879 net0 q1 desc i=2 addr=0x8239800 len=570 flags=0x0 next=0
rt 880 net0 q1 avail slot=8 head=2
rt 881 net0 q1 avail_idx idx=9
rt 882 net0 q1 kick_prepare need=1 added=1 avail_idx=9 avail_event=8
rt 883 net0 q1 notify idx=9 wrap=0
rt 884 net0 q0 add head=7 ndesc=1 in=2048 indirect=0 req=264
rt 885 net0 q0 desc i=7 addr=0x813e800 len=2048 flags=0x2 next=0
rt 886 net0 q0 avail slot=7 head=7
rt 887 net0 q0 avail_idx idx=264
rt 888 net0 q0 used slot=8 id=8 len=58 used_idx=9 last_used=9
rt 889 net0 q1 add head=1 ndesc=1 in=0 indirect=0 req=10
rt 890 net0 q1 desc i=1 addr=0x823a000 len=570 flags=0x0 next=0
rt 891 net0 q1 avail slot=9 head=1
rt 892 net0 q1 avail_idx idx=10
rt 893 net0 q1 kick_prepare need=1 added=1 avail_idx=10 avail_event=9
rt 894 net0 q1 notify idx=10 wrap=0
rt 895 net0 q0 add head=8 ndesc=1 in=2048 indirect=0 req=265
rt 896 net0 q0 desc i=8 addr=0x813f000 len=2048 flags=0x2 next=0
rt 897 net0 q0 avail slot=8 head=8
rt 898 net0 q0 avail_idx idx=265
rt 899 net0 q0 used slot=9 id=9 len=58 used_idx=10 last_used=10
rt 900 net0 q1 add head=0 ndesc=1 in=0 indirect=0 req=11
rt 901 net0 q1 desc i=0 addr=0x823a800 len=570 flags=0x0 next=0
rt 902 net0 q1 avail slot=10 head=0
rt 903 net0 q1 avail_idx idx=11
rt 904 net0 q1 kick_prepare need=1 added=1 avail_idx=11 avail_event=10
rt 905 net0 q1 notify idx=11 wrap=0
rt 906 net0 q0 add head=9 ndesc=1 in=2048 indirect=0 req=266
rt 907 net0 q0 desc i=9 addr=0x813f800 len=2048 flags=0x2 next=0
rt 908 net0 q0 avail slot=9 head=9
rt 909 net0 q0 avail_idx idx=266
rt 910 net0 q0 used slot=10 id=10 len=58 used_idx=11 last_used=11
rt 911 net0 q1 add head=4 ndesc=1 in=0 indirect=0 req=12
rt 912 net0 q1 desc i=4 addr=0x8238800 len=570 flags=0x0 next=0
rt 913 net0 q1 avail slot=11 head=4
rt 914 net0 q1 avail_idx idx=12
rt 915 net0 q1 kick_prepare need=1 added=1 avail_idx=12 avail_event=11
rt 916 net0 q1 notify idx=12 wrap=0
rt 917 net0 q0 add head=10 ndesc=1 in=2048 indirect=0 req=267
rt 918 net0 q0 desc i=10 addr=0x8140000 len=2048 flags=0x2 next=0
rt 919 net0 q0 avail slot=10 head=10
rt 920 net0 q0 avail_idx idx=267
rt 921 net0 q0 used slot=11 id=11 len=58 used_idx=12 last_used=12
rt 922 net0 q1 add head=5 ndesc=1 in=0 indirect=0 req=13
rt 923 net0 q1 desc i=5 addr=0x8238000 len=570 flags=0x0 next=0
rt 924 net0 q1 avail slot=12 head=5
rt 925 net0 q1 avail_idx idx=13
rt 926 net0 q1 kick_prepare need=1 added=1 avail_idx=13 avail_event=12
rt 927 net0 q1 notify idx=13 wrap=0
rt 928 net0 q0 add head=11 ndesc=1 in=2048 indirect=0 req=268
rt 929 net0 q0 desc i=11 addr=0x8140800 len=2048 flags=0x2 next=0
rt 930 net0 q0 avail slot=11 head=11
rt 931 net0 q0 avail_idx idx=268
rt 932 net0 q0 kick_prepare need=0 added=6 avail_idx=268 avail_event=0
rt 933 net0 q0 event on=1 used_event=12
rt 934 net0 q1 used slot=7 id=3 len=0 used_idx=12 last_used=8
rt 935 net0 q1 used slot=8 id=2 len=0 used_idx=12 last_used=9
rt 936 net0 q1 used slot=9 id=1 len=0 used_idx=12 last_used=10
rt 937 net0 q1 used slot=10 id=0 len=0 used_idx=12 last_used=11
rt 938 net0 q1 used slot=11 id=4 len=0 used_idx=12 last_used=12
rt 939 net0 q1 event on=1 used_event=12
rt 940 net0 q1 irq used_idx=13 last_used=12
rt 941 net0 q0 irq used_idx=13 last_used=12
rt 942 net0 q0 used slot=12 id=12 len=58 used_idx=13 last_used=13
rt 943 net0 q1 add head=4 ndesc=1 in=0 indirect=0 req=14
rt 944 net0 q1 desc i=4 addr=0x8238800 len=570 flags=0x0 next=0
rt 945 net0 q1 avail slot=13 head=4
rt 946 net0 q1 avail_idx idx=14
rt 947 net0 q1 kick_prepare need=1 added=1 avail_idx=14 avail_event=13
rt 948 net0 q1 notify idx=14 wrap=0
rt 949 net0 q0 add head=12 ndesc=1 in=2048 indirect=0 req=269
rt 950 net0 q0 desc i=12 addr=0x8141000 len=2048 flags=0x2 next=0
rt 951 net0 q0 avail slot=12 head=12
rt 952 net0 q0 avail_idx idx=269
rt 953 net0 q0 kick_prepare need=0 added=1 avail_idx=269 avail_event=0
rt 954 net0 q0 event on=1 used_event=13
rt 955 net0 q1 used slot=12 id=5 len=0 used_idx=14 last_used=13
rt 956 net0 q1 used slot=13 id=4 len=0 used_idx=14 last_used=14
rt 957 net0 q1 event on=1 used_event=14
rt 958 net0 q0 irq used_idx=14 last_used=13
rt 959 net0 q0 used slot=13 id=13 len=58 used_idx=14 last_used=14
rt 960 net0 q1 add head=4 ndesc=1 in=0 indirect=0 req=15
rt 961 net0 q1 desc i=4 addr=0x8238800 len=570 flags=0x0 next=0
rt 962 net0 q1 avail slot=14 head=4
rt 963 net0 q1 avail_idx idx=15
rt 964 net0 q1 kick_prepare need=1 added=1 avail_idx=15 avail_event=14
rt 965 net0 q1 notify idx=15 wrap=0
rt 966 net0 q0 add head=13 ndesc=1 in=2048 indirect=0 req=270
rt 967 net0 q1 irq used_idx=15 last_used=14
rt 968 net0 q0 desc i=13 addr=0x8141800 len=2048 flags=0x2 next=0
rt 969 net0 q0 avail slot=13 head=13
rt 970 net0 q0 avail_idx idx=270
rt 971 net0 q0 used slot=14 id=14 len=58 used_idx=15 last_used=15
rt 972 net0 q1 add head=5 ndesc=1 in=0 indirect=0 req=16
rt 973 net0 q1 desc i=5 addr=0x8238000 len=570 flags=0x0 next=0
rt 974 net0 q1 avail slot=15 head=5
rt 975 net0 q1 avail_idx idx=16
rt 976 net0 q1 kick_prepare need=1 added=1 avail_idx=16 avail_event=15
rt 977 net0 q1 notify idx=16 wrap=0
rt 978 net0 q0 add head=14 ndesc=1 in=2048 indirect=0 req=271
rt 979 net0 q0 desc i=14 addr=0x8142000 len=2048 flags=0x2 next=0
rt 980 net0 q0 avail slot=14 head=14
rt 981 net0 q0 avail_idx idx=271
rt 982 net0 q0 used slot=15 id=15 len=58 used_idx=16 last_used=16
rt 983 net0 q1 add head=0 ndesc=1 in=0 indirect=0 req=17
rt 984 net0 q1 desc i=0 addr=0x823a800 len=570 flags=0x0 next=0
rt 985 net0 q1 avail slot=16 head=0
rt 986 net0 q1 avail_idx idx=17
rt 987 net0 q1 kick_prepare need=1 added=1 avail_idx=17 avail_event=16
rt 988 net0 q1 notify idx=17 wrap=0
rt 989 net0 q0 add head=15 ndesc=1 in=2048 indirect=0 req=272
rt 990 net0 q0 desc i=15 addr=0x8142800 len=2048 flags=0x2 next=0
rt 991 net0 q0 avail slot=15 head=15
rt 992 net0 q0 avail_idx idx=272
rt 993 net0 q0 used slot=16 id=16 len=58 used_idx=17 last_used=17
rt 994 net0 q1 add head=1 ndesc=1 in=0 indirect=0 req=18
rt 995 net0 q1 desc i=1 addr=0x823a000 len=570 flags=0x0 next=0
rt 996 net0 q1 avail slot=17 head=1
rt 997 net0 q1 avail_idx idx=18
rt 998 net0 q1 kick_prepare need=1 added=1 avail_idx=18 avail_event=17
rt 999 net0 q1 notify idx=18 wrap=0
rt 1000 net0 q0 add head=16 ndesc=1 in=2048 indirect=0 req=273
rt 1001 net0 q0 desc i=16 addr=0x8143000 len=2048 flags=0x2 next=0
rt 1002 net0 q0 avail slot=16 head=16
rt 1003 net0 q0 avail_idx idx=273
rt 1004 net0 q0 kick_prepare need=0 added=4 avail_idx=273 avail_event=0
rt 1005 net0 q0 event on=1 used_event=17
rt 1006 net0 q1 used slot=14 id=4 len=0 used_idx=18 last_used=15
rt 1007 net0 q1 used slot=15 id=5 len=0 used_idx=18 last_used=16
rt 1008 net0 q1 used slot=16 id=0 len=0 used_idx=18 last_used=17
rt 1009 net0 q1 used slot=17 id=1 len=0 used_idx=18 last_used=18
rt 1010 net0 q1 event on=1 used_event=18
rt 1011 net0 q0 irq used_idx=18 last_used=17
rt 1012 net0 q0 used slot=17 id=17 len=58 used_idx=18 last_used=18
rt 1013 net0 q1 add head=1 ndesc=1 in=0 indirect=0 req=19
rt 1014 net0 q1 desc i=1 addr=0x823a000 len=570 flags=0x0 next=0
rt 1015 net0 q1 avail slot=18 head=1
rt 1016 net0 q1 avail_idx idx=19
rt 1017 net0 q1 kick_prepare need=1 added=1 avail_idx=19 avail_event=18
rt 1018 net0 q1 notify idx=19 wrap=0
rt 1019 net0 q0 add head=17 ndesc=1 in=2048 indirect=0 req=274
rt 1020 net0 q1 irq used_idx=19 last_used=18
rt 1021 net0 q0 desc i=17 addr=0x8143800 len=2048 flags=0x2 next=0
rt 1022 net0 q0 avail slot=17 head=17
rt 1023 net0 q0 avail_idx idx=274
rt 1024 net0 q0 used slot=18 id=18 len=58 used_idx=19 last_used=19
rt 1025 net0 q1 add head=0 ndesc=1 in=0 indirect=0 req=20
rt 1026 net0 q1 desc i=0 addr=0x823a800 len=570 flags=0x0 next=0
rt 1027 net0 q1 avail slot=19 head=0
rt 1028 net0 q1 avail_idx idx=20
rt 1029 net0 q1 kick_prepare need=1 added=1 avail_idx=20 avail_event=19
rt 1030 net0 q1 notify idx=20 wrap=0
rt 1031 net0 q0 add head=18 ndesc=1 in=2048 indirect=0 req=275
rt 1032 net0 q0 desc i=18 addr=0x8144000 len=2048 flags=0x2 next=0
rt 1033 net0 q0 avail slot=18 head=18
rt 1034 net0 q0 avail_idx idx=275
rt 1035 net0 q0 used slot=19 id=19 len=58 used_idx=20 last_used=20
rt 1036 net0 q1 add head=5 ndesc=1 in=0 indirect=0 req=21
rt 1037 net0 q1 desc i=5 addr=0x8238000 len=570 flags=0x0 next=0
rt 1038 net0 q1 avail slot=20 head=5
rt 1039 net0 q1 avail_idx idx=21
rt 1040 net0 q1 kick_prepare need=1 added=1 avail_idx=21 avail_event=20
rt 1041 net0 q1 notify idx=21 wrap=0
rt 1042 net0 q0 add head=19 ndesc=1 in=2048 indirect=0 req=276
rt 1043 net0 q0 desc i=19 addr=0x8144800 len=2048 flags=0x2 next=0
rt 1044 net0 q0 avail slot=19 head=19
rt 1045 net0 q0 avail_idx idx=276
rt 1046 net0 q0 used slot=20 id=20 len=58 used_idx=21 last_used=21
rt 1047 net0 q1 add head=4 ndesc=1 in=0 indirect=0 req=22
rt 1048 net0 q1 desc i=4 addr=0x8238800 len=570 flags=0x0 next=0
rt 1049 net0 q1 avail slot=21 head=4
rt 1050 net0 q1 avail_idx idx=22
rt 1051 net0 q1 kick_prepare need=1 added=1 avail_idx=22 avail_event=21
rt 1052 net0 q1 notify idx=22 wrap=0
rt 1053 net0 q0 add head=20 ndesc=1 in=2048 indirect=0 req=277
rt 1054 net0 q0 desc i=20 addr=0x8145000 len=2048 flags=0x2 next=0
rt 1055 net0 q0 avail slot=20 head=20
rt 1056 net0 q0 avail_idx idx=277
rt 1057 net0 q0 used slot=21 id=21 len=58 used_idx=22 last_used=22
rt 1058 net0 q1 add head=2 ndesc=1 in=0 indirect=0 req=23
rt 1059 net0 q1 desc i=2 addr=0x8239800 len=58 flags=0x0 next=0
rt 1060 net0 q1 avail slot=22 head=2
rt 1061 net0 q1 avail_idx idx=23
rt 1062 net0 q1 kick_prepare need=1 added=1 avail_idx=23 avail_event=22
rt 1063 net0 q1 notify idx=23 wrap=0
rt 1064 net0 q0 add head=21 ndesc=1 in=2048 indirect=0 req=278
rt 1065 net0 q0 desc i=21 addr=0x8145800 len=2048 flags=0x2 next=0
rt 1066 net0 q0 avail slot=21 head=21
rt 1067 net0 q0 avail_idx idx=278
rt 1068 net0 q0 used slot=22 id=22 len=58 used_idx=23 last_used=23
rt 1069 net0 q0 add head=22 ndesc=1 in=2048 indirect=0 req=279
rt 1070 net0 q0 desc i=22 addr=0x8146000 len=2048 flags=0x2 next=0
rt 1071 net0 q0 avail slot=22 head=22
rt 1072 net0 q0 avail_idx idx=279
rt 1073 net0 q0 kick_prepare need=0 added=6 avail_idx=279 avail_event=0
rt 1074 net0 q0 event on=1 used_event=23
rt 1075 net0 q1 used slot=18 id=1 len=0 used_idx=23 last_used=19
rt 1076 net0 q1 used slot=19 id=0 len=0 used_idx=23 last_used=20
rt 1077 net0 q1 used slot=20 id=5 len=0 used_idx=23 last_used=21
rt 1078 net0 q1 used slot=21 id=4 len=0 used_idx=23 last_used=22
rt 1079 net0 q1 used slot=22 id=2 len=0 used_idx=23 last_used=23
rt 1080 net0 q1 event on=1 used_event=23
rt 1081 - - stop
`});
