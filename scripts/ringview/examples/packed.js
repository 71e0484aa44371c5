ringviewTrace({
name: "packed ring: blk read 4 KiB, ping, TFTP read of an 8 KiB disk (mode=irq)",
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
rt 1 net0 q1 queue layout=packed size=256 event_idx=1 indirect=1 desc=0x8116000 driver=0x8117000 device=0x8117004
rt 2 net0 q1 state next=4 wrap=1 last_used=4 used_wrap=1 inflight=0 drv_flags=2 drv_off=32772 dev_flags=2 dev_off=32772
rt 3 net0 q0 queue layout=packed size=256 event_idx=1 indirect=1 desc=0x80f4000 driver=0x80f5000 device=0x80f5004
rt 4 net0 q0 state next=3 wrap=0 last_used=3 used_wrap=1 inflight=256 drv_flags=2 drv_off=32771 dev_flags=1 dev_off=0
rt 5 net0 q0 add head=0 ndesc=1 in=2048 indirect=0 req=0
rt 6 net0 q0 add head=1 ndesc=1 in=2048 indirect=0 req=0
rt 7 net0 q0 add head=2 ndesc=1 in=2048 indirect=0 req=0
rt 8 net0 q0 add head=3 ndesc=1 in=2048 indirect=0 req=0
rt 9 net0 q0 add head=4 ndesc=1 in=2048 indirect=0 req=0
rt 10 net0 q0 add head=5 ndesc=1 in=2048 indirect=0 req=0
rt 11 net0 q0 add head=6 ndesc=1 in=2048 indirect=0 req=0
rt 12 net0 q0 add head=7 ndesc=1 in=2048 indirect=0 req=0
rt 13 net0 q0 add head=8 ndesc=1 in=2048 indirect=0 req=0
rt 14 net0 q0 add head=9 ndesc=1 in=2048 indirect=0 req=0
rt 15 net0 q0 add head=10 ndesc=1 in=2048 indirect=0 req=0
rt 16 net0 q0 add head=11 ndesc=1 in=2048 indirect=0 req=0
rt 17 net0 q0 add head=12 ndesc=1 in=2048 indirect=0 req=0
rt 18 net0 q0 add head=13 ndesc=1 in=2048 indirect=0 req=0
rt 19 net0 q0 add head=14 ndesc=1 in=2048 indirect=0 req=0
rt 20 net0 q0 add head=15 ndesc=1 in=2048 indirect=0 req=0
rt 21 net0 q0 add head=16 ndesc=1 in=2048 indirect=0 req=0
rt 22 net0 q0 add head=17 ndesc=1 in=2048 indirect=0 req=0
rt 23 net0 q0 add head=18 ndesc=1 in=2048 indirect=0 req=0
rt 24 net0 q0 add head=19 ndesc=1 in=2048 indirect=0 req=0
rt 25 net0 q0 add head=20 ndesc=1 in=2048 indirect=0 req=0
rt 26 net0 q0 add head=21 ndesc=1 in=2048 indirect=0 req=0
rt 27 net0 q0 add head=22 ndesc=1 in=2048 indirect=0 req=0
rt 28 net0 q0 add head=23 ndesc=1 in=2048 indirect=0 req=0
rt 29 net0 q0 add head=24 ndesc=1 in=2048 indirect=0 req=0
rt 30 net0 q0 add head=25 ndesc=1 in=2048 indirect=0 req=0
rt 31 net0 q0 add head=26 ndesc=1 in=2048 indirect=0 req=0
rt 32 net0 q0 add head=27 ndesc=1 in=2048 indirect=0 req=0
rt 33 net0 q0 add head=28 ndesc=1 in=2048 indirect=0 req=0
rt 34 net0 q0 add head=29 ndesc=1 in=2048 indirect=0 req=0
rt 35 net0 q0 add head=30 ndesc=1 in=2048 indirect=0 req=0
rt 36 net0 q0 add head=31 ndesc=1 in=2048 indirect=0 req=0
rt 37 net0 q0 add head=32 ndesc=1 in=2048 indirect=0 req=0
rt 38 net0 q0 add head=33 ndesc=1 in=2048 indirect=0 req=0
rt 39 net0 q0 add head=34 ndesc=1 in=2048 indirect=0 req=0
rt 40 net0 q0 add head=35 ndesc=1 in=2048 indirect=0 req=0
rt 41 net0 q0 add head=36 ndesc=1 in=2048 indirect=0 req=0
rt 42 net0 q0 add head=37 ndesc=1 in=2048 indirect=0 req=0
rt 43 net0 q0 add head=38 ndesc=1 in=2048 indirect=0 req=0
rt 44 net0 q0 add head=39 ndesc=1 in=2048 indirect=0 req=0
rt 45 net0 q0 add head=40 ndesc=1 in=2048 indirect=0 req=0
rt 46 net0 q0 add head=41 ndesc=1 in=2048 indirect=0 req=0
rt 47 net0 q0 add head=42 ndesc=1 in=2048 indirect=0 req=0
rt 48 net0 q0 add head=43 ndesc=1 in=2048 indirect=0 req=0
rt 49 net0 q0 add head=44 ndesc=1 in=2048 indirect=0 req=0
rt 50 net0 q0 add head=45 ndesc=1 in=2048 indirect=0 req=0
rt 51 net0 q0 add head=46 ndesc=1 in=2048 indirect=0 req=0
rt 52 net0 q0 add head=47 ndesc=1 in=2048 indirect=0 req=0
rt 53 net0 q0 add head=48 ndesc=1 in=2048 indirect=0 req=0
rt 54 net0 q0 add head=49 ndesc=1 in=2048 indirect=0 req=0
rt 55 net0 q0 add head=50 ndesc=1 in=2048 indirect=0 req=0
rt 56 net0 q0 add head=51 ndesc=1 in=2048 indirect=0 req=0
rt 57 net0 q0 add head=52 ndesc=1 in=2048 indirect=0 req=0
rt 58 net0 q0 add head=53 ndesc=1 in=2048 indirect=0 req=0
rt 59 net0 q0 add head=54 ndesc=1 in=2048 indirect=0 req=0
rt 60 net0 q0 add head=55 ndesc=1 in=2048 indirect=0 req=0
rt 61 net0 q0 add head=56 ndesc=1 in=2048 indirect=0 req=0
rt 62 net0 q0 add head=57 ndesc=1 in=2048 indirect=0 req=0
rt 63 net0 q0 add head=58 ndesc=1 in=2048 indirect=0 req=0
rt 64 net0 q0 add head=59 ndesc=1 in=2048 indirect=0 req=0
rt 65 net0 q0 add head=60 ndesc=1 in=2048 indirect=0 req=0
rt 66 net0 q0 add head=61 ndesc=1 in=2048 indirect=0 req=0
rt 67 net0 q0 add head=62 ndesc=1 in=2048 indirect=0 req=0
rt 68 net0 q0 add head=63 ndesc=1 in=2048 indirect=0 req=0
rt 69 net0 q0 add head=64 ndesc=1 in=2048 indirect=0 req=0
rt 70 net0 q0 add head=65 ndesc=1 in=2048 indirect=0 req=0
rt 71 net0 q0 add head=66 ndesc=1 in=2048 indirect=0 req=0
rt 72 net0 q0 add head=67 ndesc=1 in=2048 indirect=0 req=0
rt 73 net0 q0 add head=68 ndesc=1 in=2048 indirect=0 req=0
rt 74 net0 q0 add head=69 ndesc=1 in=2048 indirect=0 req=0
rt 75 net0 q0 add head=70 ndesc=1 in=2048 indirect=0 req=0
rt 76 net0 q0 add head=71 ndesc=1 in=2048 indirect=0 req=0
rt 77 net0 q0 add head=72 ndesc=1 in=2048 indirect=0 req=0
rt 78 net0 q0 add head=73 ndesc=1 in=2048 indirect=0 req=0
rt 79 net0 q0 add head=74 ndesc=1 in=2048 indirect=0 req=0
rt 80 net0 q0 add head=75 ndesc=1 in=2048 indirect=0 req=0
rt 81 net0 q0 add head=76 ndesc=1 in=2048 indirect=0 req=0
rt 82 net0 q0 add head=77 ndesc=1 in=2048 indirect=0 req=0
rt 83 net0 q0 add head=78 ndesc=1 in=2048 indirect=0 req=0
rt 84 net0 q0 add head=79 ndesc=1 in=2048 indirect=0 req=0
rt 85 net0 q0 add head=80 ndesc=1 in=2048 indirect=0 req=0
rt 86 net0 q0 add head=81 ndesc=1 in=2048 indirect=0 req=0
rt 87 net0 q0 add head=82 ndesc=1 in=2048 indirect=0 req=0
rt 88 net0 q0 add head=83 ndesc=1 in=2048 indirect=0 req=0
rt 89 net0 q0 add head=84 ndesc=1 in=2048 indirect=0 req=0
rt 90 net0 q0 add head=85 ndesc=1 in=2048 indirect=0 req=0
rt 91 net0 q0 add head=86 ndesc=1 in=2048 indirect=0 req=0
rt 92 net0 q0 add head=87 ndesc=1 in=2048 indirect=0 req=0
rt 93 net0 q0 add head=88 ndesc=1 in=2048 indirect=0 req=0
rt 94 net0 q0 add head=89 ndesc=1 in=2048 indirect=0 req=0
rt 95 net0 q0 add head=90 ndesc=1 in=2048 indirect=0 req=0
rt 96 net0 q0 add head=91 ndesc=1 in=2048 indirect=0 req=0
rt 97 net0 q0 add head=92 ndesc=1 in=2048 indirect=0 req=0
rt 98 net0 q0 add head=93 ndesc=1 in=2048 indirect=0 req=0
rt 99 net0 q0 add head=94 ndesc=1 in=2048 indirect=0 req=0
rt 100 net0 q0 add head=95 ndesc=1 in=2048 indirect=0 req=0
rt 101 net0 q0 add head=96 ndesc=1 in=2048 indirect=0 req=0
rt 102 net0 q0 add head=97 ndesc=1 in=2048 indirect=0 req=0
rt 103 net0 q0 add head=98 ndesc=1 in=2048 indirect=0 req=0
rt 104 net0 q0 add head=99 ndesc=1 in=2048 indirect=0 req=0
rt 105 net0 q0 add head=100 ndesc=1 in=2048 indirect=0 req=0
rt 106 net0 q0 add head=101 ndesc=1 in=2048 indirect=0 req=0
rt 107 net0 q0 add head=102 ndesc=1 in=2048 indirect=0 req=0
rt 108 net0 q0 add head=103 ndesc=1 in=2048 indirect=0 req=0
rt 109 net0 q0 add head=104 ndesc=1 in=2048 indirect=0 req=0
rt 110 net0 q0 add head=105 ndesc=1 in=2048 indirect=0 req=0
rt 111 net0 q0 add head=106 ndesc=1 in=2048 indirect=0 req=0
rt 112 net0 q0 add head=107 ndesc=1 in=2048 indirect=0 req=0
rt 113 net0 q0 add head=108 ndesc=1 in=2048 indirect=0 req=0
rt 114 net0 q0 add head=109 ndesc=1 in=2048 indirect=0 req=0
rt 115 net0 q0 add head=110 ndesc=1 in=2048 indirect=0 req=0
rt 116 net0 q0 add head=111 ndesc=1 in=2048 indirect=0 req=0
rt 117 net0 q0 add head=112 ndesc=1 in=2048 indirect=0 req=0
rt 118 net0 q0 add head=113 ndesc=1 in=2048 indirect=0 req=0
rt 119 net0 q0 add head=114 ndesc=1 in=2048 indirect=0 req=0
rt 120 net0 q0 add head=115 ndesc=1 in=2048 indirect=0 req=0
rt 121 net0 q0 add head=116 ndesc=1 in=2048 indirect=0 req=0
rt 122 net0 q0 add head=117 ndesc=1 in=2048 indirect=0 req=0
rt 123 net0 q0 add head=118 ndesc=1 in=2048 indirect=0 req=0
rt 124 net0 q0 add head=119 ndesc=1 in=2048 indirect=0 req=0
rt 125 net0 q0 add head=120 ndesc=1 in=2048 indirect=0 req=0
rt 126 net0 q0 add head=121 ndesc=1 in=2048 indirect=0 req=0
rt 127 net0 q0 add head=122 ndesc=1 in=2048 indirect=0 req=0
rt 128 net0 q0 add head=123 ndesc=1 in=2048 indirect=0 req=0
rt 129 net0 q0 add head=124 ndesc=1 in=2048 indirect=0 req=0
rt 130 net0 q0 add head=125 ndesc=1 in=2048 indirect=0 req=0
rt 131 net0 q0 add head=126 ndesc=1 in=2048 indirect=0 req=0
rt 132 net0 q0 add head=127 ndesc=1 in=2048 indirect=0 req=0
rt 133 net0 q0 add head=128 ndesc=1 in=2048 indirect=0 req=0
rt 134 net0 q0 add head=129 ndesc=1 in=2048 indirect=0 req=0
rt 135 net0 q0 add head=130 ndesc=1 in=2048 indirect=0 req=0
rt 136 net0 q0 add head=131 ndesc=1 in=2048 indirect=0 req=0
rt 137 net0 q0 add head=132 ndesc=1 in=2048 indirect=0 req=0
rt 138 net0 q0 add head=133 ndesc=1 in=2048 indirect=0 req=0
rt 139 net0 q0 add head=134 ndesc=1 in=2048 indirect=0 req=0
rt 140 net0 q0 add head=135 ndesc=1 in=2048 indirect=0 req=0
rt 141 net0 q0 add head=136 ndesc=1 in=2048 indirect=0 req=0
rt 142 net0 q0 add head=137 ndesc=1 in=2048 indirect=0 req=0
rt 143 net0 q0 add head=138 ndesc=1 in=2048 indirect=0 req=0
rt 144 net0 q0 add head=139 ndesc=1 in=2048 indirect=0 req=0
rt 145 net0 q0 add head=140 ndesc=1 in=2048 indirect=0 req=0
rt 146 net0 q0 add head=141 ndesc=1 in=2048 indirect=0 req=0
rt 147 net0 q0 add head=142 ndesc=1 in=2048 indirect=0 req=0
rt 148 net0 q0 add head=143 ndesc=1 in=2048 indirect=0 req=0
rt 149 net0 q0 add head=144 ndesc=1 in=2048 indirect=0 req=0
rt 150 net0 q0 add head=145 ndesc=1 in=2048 indirect=0 req=0
rt 151 net0 q0 add head=146 ndesc=1 in=2048 indirect=0 req=0
rt 152 net0 q0 add head=147 ndesc=1 in=2048 indirect=0 req=0
rt 153 net0 q0 add head=148 ndesc=1 in=2048 indirect=0 req=0
rt 154 net0 q0 add head=149 ndesc=1 in=2048 indirect=0 req=0
rt 155 net0 q0 add head=150 ndesc=1 in=2048 indirect=0 req=0
rt 156 net0 q0 add head=151 ndesc=1 in=2048 indirect=0 req=0
rt 157 net0 q0 add head=152 ndesc=1 in=2048 indirect=0 req=0
rt 158 net0 q0 add head=153 ndesc=1 in=2048 indirect=0 req=0
rt 159 net0 q0 add head=154 ndesc=1 in=2048 indirect=0 req=0
rt 160 net0 q0 add head=155 ndesc=1 in=2048 indirect=0 req=0
rt 161 net0 q0 add head=156 ndesc=1 in=2048 indirect=0 req=0
rt 162 net0 q0 add head=157 ndesc=1 in=2048 indirect=0 req=0
rt 163 net0 q0 add head=158 ndesc=1 in=2048 indirect=0 req=0
rt 164 net0 q0 add head=159 ndesc=1 in=2048 indirect=0 req=0
rt 165 net0 q0 add head=160 ndesc=1 in=2048 indirect=0 req=0
rt 166 net0 q0 add head=161 ndesc=1 in=2048 indirect=0 req=0
rt 167 net0 q0 add head=162 ndesc=1 in=2048 indirect=0 req=0
rt 168 net0 q0 add head=163 ndesc=1 in=2048 indirect=0 req=0
rt 169 net0 q0 add head=164 ndesc=1 in=2048 indirect=0 req=0
rt 170 net0 q0 add head=165 ndesc=1 in=2048 indirect=0 req=0
rt 171 net0 q0 add head=166 ndesc=1 in=2048 indirect=0 req=0
rt 172 net0 q0 add head=167 ndesc=1 in=2048 indirect=0 req=0
rt 173 net0 q0 add head=168 ndesc=1 in=2048 indirect=0 req=0
rt 174 net0 q0 add head=169 ndesc=1 in=2048 indirect=0 req=0
rt 175 net0 q0 add head=170 ndesc=1 in=2048 indirect=0 req=0
rt 176 net0 q0 add head=171 ndesc=1 in=2048 indirect=0 req=0
rt 177 net0 q0 add head=172 ndesc=1 in=2048 indirect=0 req=0
rt 178 net0 q0 add head=173 ndesc=1 in=2048 indirect=0 req=0
rt 179 net0 q0 add head=174 ndesc=1 in=2048 indirect=0 req=0
rt 180 net0 q0 add head=175 ndesc=1 in=2048 indirect=0 req=0
rt 181 net0 q0 add head=176 ndesc=1 in=2048 indirect=0 req=0
rt 182 net0 q0 add head=177 ndesc=1 in=2048 indirect=0 req=0
rt 183 net0 q0 add head=178 ndesc=1 in=2048 indirect=0 req=0
rt 184 net0 q0 add head=179 ndesc=1 in=2048 indirect=0 req=0
rt 185 net0 q0 add head=180 ndesc=1 in=2048 indirect=0 req=0
rt 186 net0 q0 add head=181 ndesc=1 in=2048 indirect=0 req=0
rt 187 net0 q0 add head=182 ndesc=1 in=2048 indirect=0 req=0
rt 188 net0 q0 add head=183 ndesc=1 in=2048 indirect=0 req=0
rt 189 net0 q0 add head=184 ndesc=1 in=2048 indirect=0 req=0
rt 190 net0 q0 add head=185 ndesc=1 in=2048 indirect=0 req=0
rt 191 net0 q0 add head=186 ndesc=1 in=2048 indirect=0 req=0
rt 192 net0 q0 add head=187 ndesc=1 in=2048 indirect=0 req=0
rt 193 net0 q0 add head=188 ndesc=1 in=2048 indirect=0 req=0
rt 194 net0 q0 add head=189 ndesc=1 in=2048 indirect=0 req=0
rt 195 net0 q0 add head=190 ndesc=1 in=2048 indirect=0 req=0
rt 196 net0 q0 add head=191 ndesc=1 in=2048 indirect=0 req=0
rt 197 net0 q0 add head=192 ndesc=1 in=2048 indirect=0 req=0
rt 198 net0 q0 add head=193 ndesc=1 in=2048 indirect=0 req=0
rt 199 net0 q0 add head=194 ndesc=1 in=2048 indirect=0 req=0
rt 200 net0 q0 add head=195 ndesc=1 in=2048 indirect=0 req=0
rt 201 net0 q0 add head=196 ndesc=1 in=2048 indirect=0 req=0
rt 202 net0 q0 add head=197 ndesc=1 in=2048 indirect=0 req=0
rt 203 net0 q0 add head=198 ndesc=1 in=2048 indirect=0 req=0
rt 204 net0 q0 add head=199 ndesc=1 in=2048 indirect=0 req=0
rt 205 net0 q0 add head=200 ndesc=1 in=2048 indirect=0 req=0
rt 206 net0 q0 add head=201 ndesc=1 in=2048 indirect=0 req=0
rt 207 net0 q0 add head=202 ndesc=1 in=2048 indirect=0 req=0
rt 208 net0 q0 add head=203 ndesc=1 in=2048 indirect=0 req=0
rt 209 net0 q0 add head=204 ndesc=1 in=2048 indirect=0 req=0
rt 210 net0 q0 add head=205 ndesc=1 in=2048 indirect=0 req=0
rt 211 net0 q0 add head=206 ndesc=1 in=2048 indirect=0 req=0
rt 212 net0 q0 add head=207 ndesc=1 in=2048 indirect=0 req=0
rt 213 net0 q0 add head=208 ndesc=1 in=2048 indirect=0 req=0
rt 214 net0 q0 add head=209 ndesc=1 in=2048 indirect=0 req=0
rt 215 net0 q0 add head=210 ndesc=1 in=2048 indirect=0 req=0
rt 216 net0 q0 add head=211 ndesc=1 in=2048 indirect=0 req=0
rt 217 net0 q0 add head=212 ndesc=1 in=2048 indirect=0 req=0
rt 218 net0 q0 add head=213 ndesc=1 in=2048 indirect=0 req=0
rt 219 net0 q0 add head=214 ndesc=1 in=2048 indirect=0 req=0
rt 220 net0 q0 add head=215 ndesc=1 in=2048 indirect=0 req=0
rt 221 net0 q0 add head=216 ndesc=1 in=2048 indirect=0 req=0
rt 222 net0 q0 add head=217 ndesc=1 in=2048 indirect=0 req=0
rt 223 net0 q0 add head=218 ndesc=1 in=2048 indirect=0 req=0
rt 224 net0 q0 add head=219 ndesc=1 in=2048 indirect=0 req=0
rt 225 net0 q0 add head=220 ndesc=1 in=2048 indirect=0 req=0
rt 226 net0 q0 add head=221 ndesc=1 in=2048 indirect=0 req=0
rt 227 net0 q0 add head=222 ndesc=1 in=2048 indirect=0 req=0
rt 228 net0 q0 add head=223 ndesc=1 in=2048 indirect=0 req=0
rt 229 net0 q0 add head=224 ndesc=1 in=2048 indirect=0 req=0
rt 230 net0 q0 add head=225 ndesc=1 in=2048 indirect=0 req=0
rt 231 net0 q0 add head=226 ndesc=1 in=2048 indirect=0 req=0
rt 232 net0 q0 add head=227 ndesc=1 in=2048 indirect=0 req=0
rt 233 net0 q0 add head=228 ndesc=1 in=2048 indirect=0 req=0
rt 234 net0 q0 add head=229 ndesc=1 in=2048 indirect=0 req=0
rt 235 net0 q0 add head=230 ndesc=1 in=2048 indirect=0 req=0
rt 236 net0 q0 add head=231 ndesc=1 in=2048 indirect=0 req=0
rt 237 net0 q0 add head=232 ndesc=1 in=2048 indirect=0 req=0
rt 238 net0 q0 add head=233 ndesc=1 in=2048 indirect=0 req=0
rt 239 net0 q0 add head=234 ndesc=1 in=2048 indirect=0 req=0
rt 240 net0 q0 add head=235 ndesc=1 in=2048 indirect=0 req=0
rt 241 net0 q0 add head=236 ndesc=1 in=2048 indirect=0 req=0
rt 242 net0 q0 add head=237 ndesc=1 in=2048 indirect=0 req=0
rt 243 net0 q0 add head=238 ndesc=1 in=2048 indirect=0 req=0
rt 244 net0 q0 add head=239 ndesc=1 in=2048 indirect=0 req=0
rt 245 net0 q0 add head=240 ndesc=1 in=2048 indirect=0 req=0
rt 246 net0 q0 add head=241 ndesc=1 in=2048 indirect=0 req=0
rt 247 net0 q0 add head=242 ndesc=1 in=2048 indirect=0 req=0
rt 248 net0 q0 add head=243 ndesc=1 in=2048 indirect=0 req=0
rt 249 net0 q0 add head=244 ndesc=1 in=2048 indirect=0 req=0
rt 250 net0 q0 add head=245 ndesc=1 in=2048 indirect=0 req=0
rt 251 net0 q0 add head=246 ndesc=1 in=2048 indirect=0 req=0
rt 252 net0 q0 add head=247 ndesc=1 in=2048 indirect=0 req=0
rt 253 net0 q0 add head=248 ndesc=1 in=2048 indirect=0 req=0
rt 254 net0 q0 add head=249 ndesc=1 in=2048 indirect=0 req=0
rt 255 net0 q0 add head=250 ndesc=1 in=2048 indirect=0 req=0
rt 256 net0 q0 add head=251 ndesc=1 in=2048 indirect=0 req=0
rt 257 net0 q0 add head=252 ndesc=1 in=2048 indirect=0 req=0
rt 258 net0 q0 add head=253 ndesc=1 in=2048 indirect=0 req=0
rt 259 net0 q0 add head=254 ndesc=1 in=2048 indirect=0 req=0
rt 260 net0 q0 add head=255 ndesc=1 in=2048 indirect=0 req=0
rt 261 net0 q0 pdesc slot=3 id=3 addr=0x8139800 len=2048 flags=0x82
rt 262 net0 q0 pdesc slot=4 id=4 addr=0x813a000 len=2048 flags=0x82
rt 263 net0 q0 pdesc slot=5 id=5 addr=0x813a800 len=2048 flags=0x82
rt 264 net0 q0 pdesc slot=6 id=6 addr=0x813b000 len=2048 flags=0x82
rt 265 net0 q0 pdesc slot=7 id=7 addr=0x813b800 len=2048 flags=0x82
rt 266 net0 q0 pdesc slot=8 id=8 addr=0x813c000 len=2048 flags=0x82
rt 267 net0 q0 pdesc slot=9 id=9 addr=0x813c800 len=2048 flags=0x82
rt 268 net0 q0 pdesc slot=10 id=10 addr=0x813d000 len=2048 flags=0x82
rt 269 net0 q0 pdesc slot=11 id=11 addr=0x813d800 len=2048 flags=0x82
rt 270 net0 q0 pdesc slot=12 id=12 addr=0x813e000 len=2048 flags=0x82
rt 271 net0 q0 pdesc slot=13 id=13 addr=0x813e800 len=2048 flags=0x82
rt 272 net0 q0 pdesc slot=14 id=14 addr=0x813f000 len=2048 flags=0x82
rt 273 net0 q0 pdesc slot=15 id=15 addr=0x813f800 len=2048 flags=0x82
rt 274 net0 q0 pdesc slot=16 id=16 addr=0x8140000 len=2048 flags=0x82
rt 275 net0 q0 pdesc slot=17 id=17 addr=0x8140800 len=2048 flags=0x82
rt 276 net0 q0 pdesc slot=18 id=18 addr=0x8141000 len=2048 flags=0x82
rt 277 net0 q0 pdesc slot=19 id=19 addr=0x8141800 len=2048 flags=0x82
rt 278 net0 q0 pdesc slot=20 id=20 addr=0x8142000 len=2048 flags=0x82
rt 279 net0 q0 pdesc slot=21 id=21 addr=0x8142800 len=2048 flags=0x82
rt 280 net0 q0 pdesc slot=22 id=22 addr=0x8143000 len=2048 flags=0x82
rt 281 net0 q0 pdesc slot=23 id=23 addr=0x8143800 len=2048 flags=0x82
rt 282 net0 q0 pdesc slot=24 id=24 addr=0x8144000 len=2048 flags=0x82
rt 283 net0 q0 pdesc slot=25 id=25 addr=0x8144800 len=2048 flags=0x82
rt 284 net0 q0 pdesc slot=26 id=26 addr=0x8145000 len=2048 flags=0x82
rt 285 net0 q0 pdesc slot=27 id=27 addr=0x8145800 len=2048 flags=0x82
rt 286 net0 q0 pdesc slot=28 id=28 addr=0x8146000 len=2048 flags=0x82
rt 287 net0 q0 pdesc slot=29 id=29 addr=0x8146800 len=2048 flags=0x82
rt 288 net0 q0 pdesc slot=30 id=30 addr=0x8147000 len=2048 flags=0x82
rt 289 net0 q0 pdesc slot=31 id=31 addr=0x8147800 len=2048 flags=0x82
rt 290 net0 q0 pdesc slot=32 id=32 addr=0x8148000 len=2048 flags=0x82
rt 291 net0 q0 pdesc slot=33 id=33 addr=0x8148800 len=2048 flags=0x82
rt 292 net0 q0 pdesc slot=34 id=34 addr=0x8149000 len=2048 flags=0x82
rt 293 net0 q0 pdesc slot=35 id=35 addr=0x8149800 len=2048 flags=0x82
rt 294 net0 q0 pdesc slot=36 id=36 addr=0x814a000 len=2048 flags=0x82
rt 295 net0 q0 pdesc slot=37 id=37 addr=0x814a800 len=2048 flags=0x82
rt 296 net0 q0 pdesc slot=38 id=38 addr=0x814b000 len=2048 flags=0x82
rt 297 net0 q0 pdesc slot=39 id=39 addr=0x814b800 len=2048 flags=0x82
rt 298 net0 q0 pdesc slot=40 id=40 addr=0x814c000 len=2048 flags=0x82
rt 299 net0 q0 pdesc slot=41 id=41 addr=0x814c800 len=2048 flags=0x82
rt 300 net0 q0 pdesc slot=42 id=42 addr=0x814d000 len=2048 flags=0x82
rt 301 net0 q0 pdesc slot=43 id=43 addr=0x814d800 len=2048 flags=0x82
rt 302 net0 q0 pdesc slot=44 id=44 addr=0x814e000 len=2048 flags=0x82
rt 303 net0 q0 pdesc slot=45 id=45 addr=0x814e800 len=2048 flags=0x82
rt 304 net0 q0 pdesc slot=46 id=46 addr=0x814f000 len=2048 flags=0x82
rt 305 net0 q0 pdesc slot=47 id=47 addr=0x814f800 len=2048 flags=0x82
rt 306 net0 q0 pdesc slot=48 id=48 addr=0x8150000 len=2048 flags=0x82
rt 307 net0 q0 pdesc slot=49 id=49 addr=0x8150800 len=2048 flags=0x82
rt 308 net0 q0 pdesc slot=50 id=50 addr=0x8151000 len=2048 flags=0x82
rt 309 net0 q0 pdesc slot=51 id=51 addr=0x8151800 len=2048 flags=0x82
rt 310 net0 q0 pdesc slot=52 id=52 addr=0x8152000 len=2048 flags=0x82
rt 311 net0 q0 pdesc slot=53 id=53 addr=0x8152800 len=2048 flags=0x82
rt 312 net0 q0 pdesc slot=54 id=54 addr=0x8153000 len=2048 flags=0x82
rt 313 net0 q0 pdesc slot=55 id=55 addr=0x8153800 len=2048 flags=0x82
rt 314 net0 q0 pdesc slot=56 id=56 addr=0x8154000 len=2048 flags=0x82
rt 315 net0 q0 pdesc slot=57 id=57 addr=0x8154800 len=2048 flags=0x82
rt 316 net0 q0 pdesc slot=58 id=58 addr=0x8155000 len=2048 flags=0x82
rt 317 net0 q0 pdesc slot=59 id=59 addr=0x8155800 len=2048 flags=0x82
rt 318 net0 q0 pdesc slot=60 id=60 addr=0x8156000 len=2048 flags=0x82
rt 319 net0 q0 pdesc slot=61 id=61 addr=0x8156800 len=2048 flags=0x82
rt 320 net0 q0 pdesc slot=62 id=62 addr=0x8157000 len=2048 flags=0x82
rt 321 net0 q0 pdesc slot=63 id=63 addr=0x8157800 len=2048 flags=0x82
rt 322 net0 q0 pdesc slot=64 id=64 addr=0x8158000 len=2048 flags=0x82
rt 323 net0 q0 pdesc slot=65 id=65 addr=0x8158800 len=2048 flags=0x82
rt 324 net0 q0 pdesc slot=66 id=66 addr=0x8159000 len=2048 flags=0x82
rt 325 net0 q0 pdesc slot=67 id=67 addr=0x8159800 len=2048 flags=0x82
rt 326 net0 q0 pdesc slot=68 id=68 addr=0x815a000 len=2048 flags=0x82
rt 327 net0 q0 pdesc slot=69 id=69 addr=0x815a800 len=2048 flags=0x82
rt 328 net0 q0 pdesc slot=70 id=70 addr=0x815b000 len=2048 flags=0x82
rt 329 net0 q0 pdesc slot=71 id=71 addr=0x815b800 len=2048 flags=0x82
rt 330 net0 q0 pdesc slot=72 id=72 addr=0x815c000 len=2048 flags=0x82
rt 331 net0 q0 pdesc slot=73 id=73 addr=0x815c800 len=2048 flags=0x82
rt 332 net0 q0 pdesc slot=74 id=74 addr=0x815d000 len=2048 flags=0x82
rt 333 net0 q0 pdesc slot=75 id=75 addr=0x815d800 len=2048 flags=0x82
rt 334 net0 q0 pdesc slot=76 id=76 addr=0x815e000 len=2048 flags=0x82
rt 335 net0 q0 pdesc slot=77 id=77 addr=0x815e800 len=2048 flags=0x82
rt 336 net0 q0 pdesc slot=78 id=78 addr=0x815f000 len=2048 flags=0x82
rt 337 net0 q0 pdesc slot=79 id=79 addr=0x815f800 len=2048 flags=0x82
rt 338 net0 q0 pdesc slot=80 id=80 addr=0x8160000 len=2048 flags=0x82
rt 339 net0 q0 pdesc slot=81 id=81 addr=0x8160800 len=2048 flags=0x82
rt 340 net0 q0 pdesc slot=82 id=82 addr=0x8161000 len=2048 flags=0x82
rt 341 net0 q0 pdesc slot=83 id=83 addr=0x8161800 len=2048 flags=0x82
rt 342 net0 q0 pdesc slot=84 id=84 addr=0x8162000 len=2048 flags=0x82
rt 343 net0 q0 pdesc slot=85 id=85 addr=0x8162800 len=2048 flags=0x82
rt 344 net0 q0 pdesc slot=86 id=86 addr=0x8163000 len=2048 flags=0x82
rt 345 net0 q0 pdesc slot=87 id=87 addr=0x8163800 len=2048 flags=0x82
rt 346 net0 q0 pdesc slot=88 id=88 addr=0x8164000 len=2048 flags=0x82
rt 347 net0 q0 pdesc slot=89 id=89 addr=0x8164800 len=2048 flags=0x82
rt 348 net0 q0 pdesc slot=90 id=90 addr=0x8165000 len=2048 flags=0x82
rt 349 net0 q0 pdesc slot=91 id=91 addr=0x8165800 len=2048 flags=0x82
rt 350 net0 q0 pdesc slot=92 id=92 addr=0x8166000 len=2048 flags=0x82
rt 351 net0 q0 pdesc slot=93 id=93 addr=0x8166800 len=2048 flags=0x82
rt 352 net0 q0 pdesc slot=94 id=94 addr=0x8167000 len=2048 flags=0x82
rt 353 net0 q0 pdesc slot=95 id=95 addr=0x8167800 len=2048 flags=0x82
rt 354 net0 q0 pdesc slot=96 id=96 addr=0x8168000 len=2048 flags=0x82
rt 355 net0 q0 pdesc slot=97 id=97 addr=0x8168800 len=2048 flags=0x82
rt 356 net0 q0 pdesc slot=98 id=98 addr=0x8169000 len=2048 flags=0x82
rt 357 net0 q0 pdesc slot=99 id=99 addr=0x8169800 len=2048 flags=0x82
rt 358 net0 q0 pdesc slot=100 id=100 addr=0x816a000 len=2048 flags=0x82
rt 359 net0 q0 pdesc slot=101 id=101 addr=0x816a800 len=2048 flags=0x82
rt 360 net0 q0 pdesc slot=102 id=102 addr=0x816b000 len=2048 flags=0x82
rt 361 net0 q0 pdesc slot=103 id=103 addr=0x816b800 len=2048 flags=0x82
rt 362 net0 q0 pdesc slot=104 id=104 addr=0x816c000 len=2048 flags=0x82
rt 363 net0 q0 pdesc slot=105 id=105 addr=0x816c800 len=2048 flags=0x82
rt 364 net0 q0 pdesc slot=106 id=106 addr=0x816d000 len=2048 flags=0x82
rt 365 net0 q0 pdesc slot=107 id=107 addr=0x816d800 len=2048 flags=0x82
rt 366 net0 q0 pdesc slot=108 id=108 addr=0x816e000 len=2048 flags=0x82
rt 367 net0 q0 pdesc slot=109 id=109 addr=0x816e800 len=2048 flags=0x82
rt 368 net0 q0 pdesc slot=110 id=110 addr=0x816f000 len=2048 flags=0x82
rt 369 net0 q0 pdesc slot=111 id=111 addr=0x816f800 len=2048 flags=0x82
rt 370 net0 q0 pdesc slot=112 id=112 addr=0x8170000 len=2048 flags=0x82
rt 371 net0 q0 pdesc slot=113 id=113 addr=0x8170800 len=2048 flags=0x82
rt 372 net0 q0 pdesc slot=114 id=114 addr=0x8171000 len=2048 flags=0x82
rt 373 net0 q0 pdesc slot=115 id=115 addr=0x8171800 len=2048 flags=0x82
rt 374 net0 q0 pdesc slot=116 id=116 addr=0x8172000 len=2048 flags=0x82
rt 375 net0 q0 pdesc slot=117 id=117 addr=0x8172800 len=2048 flags=0x82
rt 376 net0 q0 pdesc slot=118 id=118 addr=0x8173000 len=2048 flags=0x82
rt 377 net0 q0 pdesc slot=119 id=119 addr=0x8173800 len=2048 flags=0x82
rt 378 net0 q0 pdesc slot=120 id=120 addr=0x8174000 len=2048 flags=0x82
rt 379 net0 q0 pdesc slot=121 id=121 addr=0x8174800 len=2048 flags=0x82
rt 380 net0 q0 pdesc slot=122 id=122 addr=0x8175000 len=2048 flags=0x82
rt 381 net0 q0 pdesc slot=123 id=123 addr=0x8175800 len=2048 flags=0x82
rt 382 net0 q0 pdesc slot=124 id=124 addr=0x8176000 len=2048 flags=0x82
rt 383 net0 q0 pdesc slot=125 id=125 addr=0x8176800 len=2048 flags=0x82
rt 384 net0 q0 pdesc slot=126 id=126 addr=0x8177000 len=2048 flags=0x82
rt 385 net0 q0 pdesc slot=127 id=127 addr=0x8177800 len=2048 flags=0x82
rt 386 net0 q0 pdesc slot=128 id=128 addr=0x8178000 len=2048 flags=0x82
rt 387 net0 q0 pdesc slot=129 id=129 addr=0x8178800 len=2048 flags=0x82
rt 388 net0 q0 pdesc slot=130 id=130 addr=0x8179000 len=2048 flags=0x82
rt 389 net0 q0 pdesc slot=131 id=131 addr=0x8179800 len=2048 flags=0x82
rt 390 net0 q0 pdesc slot=132 id=132 addr=0x817a000 len=2048 flags=0x82
rt 391 net0 q0 pdesc slot=133 id=133 addr=0x817a800 len=2048 flags=0x82
rt 392 net0 q0 pdesc slot=134 id=134 addr=0x817b000 len=2048 flags=0x82
rt 393 net0 q0 pdesc slot=135 id=135 addr=0x817b800 len=2048 flags=0x82
rt 394 net0 q0 pdesc slot=136 id=136 addr=0x817c000 len=2048 flags=0x82
rt 395 net0 q0 pdesc slot=137 id=137 addr=0x817c800 len=2048 flags=0x82
rt 396 net0 q0 pdesc slot=138 id=138 addr=0x817d000 len=2048 flags=0x82
rt 397 net0 q0 pdesc slot=139 id=139 addr=0x817d800 len=2048 flags=0x82
rt 398 net0 q0 pdesc slot=140 id=140 addr=0x817e000 len=2048 flags=0x82
rt 399 net0 q0 pdesc slot=141 id=141 addr=0x817e800 len=2048 flags=0x82
rt 400 net0 q0 pdesc slot=142 id=142 addr=0x817f000 len=2048 flags=0x82
rt 401 net0 q0 pdesc slot=143 id=143 addr=0x817f800 len=2048 flags=0x82
rt 402 net0 q0 pdesc slot=144 id=144 addr=0x8180000 len=2048 flags=0x82
rt 403 net0 q0 pdesc slot=145 id=145 addr=0x8180800 len=2048 flags=0x82
rt 404 net0 q0 pdesc slot=146 id=146 addr=0x8181000 len=2048 flags=0x82
rt 405 net0 q0 pdesc slot=147 id=147 addr=0x8181800 len=2048 flags=0x82
rt 406 net0 q0 pdesc slot=148 id=148 addr=0x8182000 len=2048 flags=0x82
rt 407 net0 q0 pdesc slot=149 id=149 addr=0x8182800 len=2048 flags=0x82
rt 408 net0 q0 pdesc slot=150 id=150 addr=0x8183000 len=2048 flags=0x82
rt 409 net0 q0 pdesc slot=151 id=151 addr=0x8183800 len=2048 flags=0x82
rt 410 net0 q0 pdesc slot=152 id=152 addr=0x8184000 len=2048 flags=0x82
rt 411 net0 q0 pdesc slot=153 id=153 addr=0x8184800 len=2048 flags=0x82
rt 412 net0 q0 pdesc slot=154 id=154 addr=0x8185000 len=2048 flags=0x82
rt 413 net0 q0 pdesc slot=155 id=155 addr=0x8185800 len=2048 flags=0x82
rt 414 net0 q0 pdesc slot=156 id=156 addr=0x8186000 len=2048 flags=0x82
rt 415 net0 q0 pdesc slot=157 id=157 addr=0x8186800 len=2048 flags=0x82
rt 416 net0 q0 pdesc slot=158 id=158 addr=0x8187000 len=2048 flags=0x82
rt 417 net0 q0 pdesc slot=159 id=159 addr=0x8187800 len=2048 flags=0x82
rt 418 net0 q0 pdesc slot=160 id=160 addr=0x8188000 len=2048 flags=0x82
rt 419 net0 q0 pdesc slot=161 id=161 addr=0x8188800 len=2048 flags=0x82
rt 420 net0 q0 pdesc slot=162 id=162 addr=0x8189000 len=2048 flags=0x82
rt 421 net0 q0 pdesc slot=163 id=163 addr=0x8189800 len=2048 flags=0x82
rt 422 net0 q0 pdesc slot=164 id=164 addr=0x818a000 len=2048 flags=0x82
rt 423 net0 q0 pdesc slot=165 id=165 addr=0x818a800 len=2048 flags=0x82
rt 424 net0 q0 pdesc slot=166 id=166 addr=0x818b000 len=2048 flags=0x82
rt 425 net0 q0 pdesc slot=167 id=167 addr=0x818b800 len=2048 flags=0x82
rt 426 net0 q0 pdesc slot=168 id=168 addr=0x818c000 len=2048 flags=0x82
rt 427 net0 q0 pdesc slot=169 id=169 addr=0x818c800 len=2048 flags=0x82
rt 428 net0 q0 pdesc slot=170 id=170 addr=0x818d000 len=2048 flags=0x82
rt 429 net0 q0 pdesc slot=171 id=171 addr=0x818d800 len=2048 flags=0x82
rt 430 net0 q0 pdesc slot=172 id=172 addr=0x818e000 len=2048 flags=0x82
rt 431 net0 q0 pdesc slot=173 id=173 addr=0x818e800 len=2048 flags=0x82
rt 432 net0 q0 pdesc slot=174 id=174 addr=0x818f000 len=2048 flags=0x82
rt 433 net0 q0 pdesc slot=175 id=175 addr=0x818f800 len=2048 flags=0x82
rt 434 net0 q0 pdesc slot=176 id=176 addr=0x8190000 len=2048 flags=0x82
rt 435 net0 q0 pdesc slot=177 id=177 addr=0x8190800 len=2048 flags=0x82
rt 436 net0 q0 pdesc slot=178 id=178 addr=0x8191000 len=2048 flags=0x82
rt 437 net0 q0 pdesc slot=179 id=179 addr=0x8191800 len=2048 flags=0x82
rt 438 net0 q0 pdesc slot=180 id=180 addr=0x8192000 len=2048 flags=0x82
rt 439 net0 q0 pdesc slot=181 id=181 addr=0x8192800 len=2048 flags=0x82
rt 440 net0 q0 pdesc slot=182 id=182 addr=0x8193000 len=2048 flags=0x82
rt 441 net0 q0 pdesc slot=183 id=183 addr=0x8193800 len=2048 flags=0x82
rt 442 net0 q0 pdesc slot=184 id=184 addr=0x8194000 len=2048 flags=0x82
rt 443 net0 q0 pdesc slot=185 id=185 addr=0x8194800 len=2048 flags=0x82
rt 444 net0 q0 pdesc slot=186 id=186 addr=0x8195000 len=2048 flags=0x82
rt 445 net0 q0 pdesc slot=187 id=187 addr=0x8195800 len=2048 flags=0x82
rt 446 net0 q0 pdesc slot=188 id=188 addr=0x8196000 len=2048 flags=0x82
rt 447 net0 q0 pdesc slot=189 id=189 addr=0x8196800 len=2048 flags=0x82
rt 448 net0 q0 pdesc slot=190 id=190 addr=0x8197000 len=2048 flags=0x82
rt 449 net0 q0 pdesc slot=191 id=191 addr=0x8197800 len=2048 flags=0x82
rt 450 net0 q0 pdesc slot=192 id=192 addr=0x8198000 len=2048 flags=0x82
rt 451 net0 q0 pdesc slot=193 id=193 addr=0x8198800 len=2048 flags=0x82
rt 452 net0 q0 pdesc slot=194 id=194 addr=0x8199000 len=2048 flags=0x82
rt 453 net0 q0 pdesc slot=195 id=195 addr=0x8199800 len=2048 flags=0x82
rt 454 net0 q0 pdesc slot=196 id=196 addr=0x819a000 len=2048 flags=0x82
rt 455 net0 q0 pdesc slot=197 id=197 addr=0x819a800 len=2048 flags=0x82
rt 456 net0 q0 pdesc slot=198 id=198 addr=0x819b000 len=2048 flags=0x82
rt 457 net0 q0 pdesc slot=199 id=199 addr=0x819b800 len=2048 flags=0x82
rt 458 net0 q0 pdesc slot=200 id=200 addr=0x819c000 len=2048 flags=0x82
rt 459 net0 q0 pdesc slot=201 id=201 addr=0x819c800 len=2048 flags=0x82
rt 460 net0 q0 pdesc slot=202 id=202 addr=0x819d000 len=2048 flags=0x82
rt 461 net0 q0 pdesc slot=203 id=203 addr=0x819d800 len=2048 flags=0x82
rt 462 net0 q0 pdesc slot=204 id=204 addr=0x819e000 len=2048 flags=0x82
rt 463 net0 q0 pdesc slot=205 id=205 addr=0x819e800 len=2048 flags=0x82
rt 464 net0 q0 pdesc slot=206 id=206 addr=0x819f000 len=2048 flags=0x82
rt 465 net0 q0 pdesc slot=207 id=207 addr=0x819f800 len=2048 flags=0x82
rt 466 net0 q0 pdesc slot=208 id=208 addr=0x81a0000 len=2048 flags=0x82
rt 467 net0 q0 pdesc slot=209 id=209 addr=0x81a0800 len=2048 flags=0x82
rt 468 net0 q0 pdesc slot=210 id=210 addr=0x81a1000 len=2048 flags=0x82
rt 469 net0 q0 pdesc slot=211 id=211 addr=0x81a1800 len=2048 flags=0x82
rt 470 net0 q0 pdesc slot=212 id=212 addr=0x81a2000 len=2048 flags=0x82
rt 471 net0 q0 pdesc slot=213 id=213 addr=0x81a2800 len=2048 flags=0x82
rt 472 net0 q0 pdesc slot=214 id=214 addr=0x81a3000 len=2048 flags=0x82
rt 473 net0 q0 pdesc slot=215 id=215 addr=0x81a3800 len=2048 flags=0x82
rt 474 net0 q0 pdesc slot=216 id=216 addr=0x81a4000 len=2048 flags=0x82
rt 475 net0 q0 pdesc slot=217 id=217 addr=0x81a4800 len=2048 flags=0x82
rt 476 net0 q0 pdesc slot=218 id=218 addr=0x81a5000 len=2048 flags=0x82
rt 477 net0 q0 pdesc slot=219 id=219 addr=0x81a5800 len=2048 flags=0x82
rt 478 net0 q0 pdesc slot=220 id=220 addr=0x81a6000 len=2048 flags=0x82
rt 479 net0 q0 pdesc slot=221 id=221 addr=0x81a6800 len=2048 flags=0x82
rt 480 net0 q0 pdesc slot=222 id=222 addr=0x81a7000 len=2048 flags=0x82
rt 481 net0 q0 pdesc slot=223 id=223 addr=0x81a7800 len=2048 flags=0x82
rt 482 net0 q0 pdesc slot=224 id=224 addr=0x81a8000 len=2048 flags=0x82
rt 483 net0 q0 pdesc slot=225 id=225 addr=0x81a8800 len=2048 flags=0x82
rt 484 net0 q0 pdesc slot=226 id=226 addr=0x81a9000 len=2048 flags=0x82
rt 485 net0 q0 pdesc slot=227 id=227 addr=0x81a9800 len=2048 flags=0x82
rt 486 net0 q0 pdesc slot=228 id=228 addr=0x81aa000 len=2048 flags=0x82
rt 487 net0 q0 pdesc slot=229 id=229 addr=0x81aa800 len=2048 flags=0x82
rt 488 net0 q0 pdesc slot=230 id=230 addr=0x81ab000 len=2048 flags=0x82
rt 489 net0 q0 pdesc slot=231 id=231 addr=0x81ab800 len=2048 flags=0x82
rt 490 net0 q0 pdesc slot=232 id=232 addr=0x81ac000 len=2048 flags=0x82
rt 491 net0 q0 pdesc slot=233 id=233 addr=0x81ac800 len=2048 flags=0x82
rt 492 net0 q0 pdesc slot=234 id=234 addr=0x81ad000 len=2048 flags=0x82
rt 493 net0 q0 pdesc slot=235 id=235 addr=0x81ad800 len=2048 flags=0x82
rt 494 net0 q0 pdesc slot=236 id=236 addr=0x81ae000 len=2048 flags=0x82
rt 495 net0 q0 pdesc slot=237 id=237 addr=0x81ae800 len=2048 flags=0x82
rt 496 net0 q0 pdesc slot=238 id=238 addr=0x81af000 len=2048 flags=0x82
rt 497 net0 q0 pdesc slot=239 id=239 addr=0x81af800 len=2048 flags=0x82
rt 498 net0 q0 pdesc slot=240 id=240 addr=0x81b0000 len=2048 flags=0x82
rt 499 net0 q0 pdesc slot=241 id=241 addr=0x81b0800 len=2048 flags=0x82
rt 500 net0 q0 pdesc slot=242 id=242 addr=0x81b1000 len=2048 flags=0x82
rt 501 net0 q0 pdesc slot=243 id=243 addr=0x81b1800 len=2048 flags=0x82
rt 502 net0 q0 pdesc slot=244 id=244 addr=0x81b2000 len=2048 flags=0x82
rt 503 net0 q0 pdesc slot=245 id=245 addr=0x81b2800 len=2048 flags=0x82
rt 504 net0 q0 pdesc slot=246 id=246 addr=0x81b3000 len=2048 flags=0x82
rt 505 net0 q0 pdesc slot=247 id=247 addr=0x81b3800 len=2048 flags=0x82
rt 506 net0 q0 pdesc slot=248 id=248 addr=0x81b4000 len=2048 flags=0x82
rt 507 net0 q0 pdesc slot=249 id=249 addr=0x81b4800 len=2048 flags=0x82
rt 508 net0 q0 pdesc slot=250 id=250 addr=0x81b5000 len=2048 flags=0x82
rt 509 net0 q0 pdesc slot=251 id=251 addr=0x81b5800 len=2048 flags=0x82
rt 510 net0 q0 pdesc slot=252 id=252 addr=0x81b6000 len=2048 flags=0x82
rt 511 net0 q0 pdesc slot=253 id=253 addr=0x81b6800 len=2048 flags=0x82
rt 512 net0 q0 pdesc slot=254 id=254 addr=0x81b7000 len=2048 flags=0x82
rt 513 net0 q0 pdesc slot=255 id=255 addr=0x81b7800 len=2048 flags=0x82
rt 514 net0 q0 pdesc slot=0 id=0 addr=0x8138000 len=2048 flags=0x8002
rt 515 net0 q0 pdesc slot=1 id=1 addr=0x8138800 len=2048 flags=0x8002
rt 516 net0 q0 pdesc slot=2 id=2 addr=0x8139000 len=2048 flags=0x8002
rt 517 blk0 q0 queue layout=packed size=256 event_idx=1 indirect=1 desc=0x80cf000 driver=0x80d0000 device=0x80d0004
rt 518 blk0 q0 state next=0 wrap=1 last_used=0 used_wrap=1 inflight=0 drv_flags=2 drv_off=32768 dev_flags=2 dev_off=32768
rt 519 blk0 q0 add head=0 ndesc=1 in=21 indirect=1 req=1
rt 520 blk0 q0 pdesc slot=0 id=0 addr=0x80d1000 len=48 flags=0x84
rt 521 blk0 q0 idesc head=0 k=0 addr=0x80f3fd0 len=16 flags=0x0
rt 522 blk0 q0 idesc head=0 k=1 addr=0x14ed30 len=20 flags=0x2
rt 523 blk0 q0 idesc head=0 k=2 addr=0x80f3ff0 len=1 flags=0x2
rt 524 blk0 q0 publish id=0 first=0 n=1 next=1 wrap=1
rt 525 blk0 q0 kick_prepare need=1 added=1 next=1 wrap=1 dev_flags=2 dev_off=32768
rt 526 blk0 q0 notify idx=1 wrap=1
rt 527 blk0 q0 irq last_used=0 used_wrap=1 flags=0x8080
rt 528 blk0 q0 used slot=0 id=0 len=21 n=1 flags=0x8080 last_used=1 used_wrap=1
rt 529 blk0 q0 event on=1 drv_flags=2 drv_off=32769
rt 530 blk0 q0 add head=0 ndesc=1 in=4097 indirect=1 req=2
rt 531 blk0 q0 pdesc slot=1 id=0 addr=0x80d1000 len=64 flags=0x84
rt 532 blk0 q0 idesc head=0 k=0 addr=0x80f3fd0 len=16 flags=0x0
rt 533 blk0 q0 idesc head=0 k=1 addr=0x2d0900 len=1792 flags=0x2
rt 534 blk0 q0 idesc head=0 k=2 addr=0x2d1000 len=2304 flags=0x2
rt 535 blk0 q0 idesc head=0 k=3 addr=0x80f3ff0 len=1 flags=0x2
rt 536 blk0 q0 publish id=0 first=1 n=1 next=2 wrap=1
rt 537 blk0 q0 kick_prepare need=1 added=1 next=2 wrap=1 dev_flags=2 dev_off=32769
rt 538 blk0 q0 notify idx=2 wrap=1
rt 539 blk0 q0 irq last_used=1 used_wrap=1 flags=0x8080
rt 540 blk0 q0 used slot=1 id=0 len=4097 n=1 flags=0x8080 last_used=2 used_wrap=1
rt 541 blk0 q0 event on=1 drv_flags=2 drv_off=32770
rt 542 net0 q1 add head=3 ndesc=1 in=0 indirect=0 req=5
rt 543 net0 q1 pdesc slot=4 id=3 addr=0x8236000 len=110 flags=0x80
rt 544 net0 q1 publish id=3 first=4 n=1 next=5 wrap=1
rt 545 net0 q1 kick_prepare need=1 added=1 next=5 wrap=1 dev_flags=2 dev_off=32772
rt 546 net0 q1 notify idx=5 wrap=1
rt 547 net0 q1 irq last_used=4 used_wrap=1 flags=0x8080
rt 548 net0 q0 irq last_used=3 used_wrap=1 flags=0x8080
rt 549 net0 q0 used slot=3 id=3 len=110 n=1 flags=0x8080 last_used=4 used_wrap=1
rt 550 net0 q0 add head=3 ndesc=1 in=2048 indirect=0 req=260
rt 551 net0 q0 pdesc slot=3 id=3 addr=0x8139800 len=2048 flags=0x8002
rt 552 net0 q0 publish id=3 first=3 n=1 next=4 wrap=0
rt 553 net0 q0 kick_prepare need=0 added=1 next=4 wrap=0 dev_flags=1 dev_off=0
rt 554 net0 q0 event on=1 drv_flags=2 drv_off=32772
rt 555 net0 q1 used slot=4 id=3 len=0 n=1 flags=0x8080 last_used=5 used_wrap=1
rt 556 net0 q1 event on=1 drv_flags=2 drv_off=32773
rt 557 net0 q0 irq last_used=4 used_wrap=1 flags=0x8080
rt 558 net0 q0 used slot=4 id=4 len=97 n=1 flags=0x8080 last_used=5 used_wrap=1
rt 559 net0 q1 add head=3 ndesc=1 in=0 indirect=0 req=6
rt 560 net0 q1 pdesc slot=5 id=3 addr=0x8236000 len=89 flags=0x80
rt 561 net0 q1 publish id=3 first=5 n=1 next=6 wrap=1
rt 562 net0 q1 kick_prepare need=1 added=1 next=6 wrap=1 dev_flags=2 dev_off=32773
rt 563 net0 q1 notify idx=6 wrap=1
rt 564 blk0 q0 add head=0 ndesc=1 in=8193 indirect=1 req=3
rt 565 net0 q1 irq last_used=5 used_wrap=1 flags=0x8080
rt 566 blk0 q0 pdesc slot=2 id=0 addr=0x80d1000 len=64 flags=0x84
rt 567 blk0 q0 idesc head=0 k=0 addr=0x80f3fd0 len=16 flags=0x0
rt 568 blk0 q0 idesc head=0 k=1 addr=0x8238000 len=4096 flags=0x2
rt 569 blk0 q0 idesc head=0 k=2 addr=0x8239000 len=4096 flags=0x2
rt 570 blk0 q0 idesc head=0 k=3 addr=0x80f3ff0 len=1 flags=0x2
rt 571 blk0 q0 publish id=0 first=2 n=1 next=3 wrap=1
rt 572 blk0 q0 kick_prepare need=1 added=1 next=3 wrap=1 dev_flags=2 dev_off=32770
rt 573 blk0 q0 notify idx=3 wrap=1
rt 574 blk0 q0 irq last_used=2 used_wrap=1 flags=0x8080
rt 575 net0 q0 add head=4 ndesc=1 in=2048 indirect=0 req=261
rt 576 net0 q0 pdesc slot=4 id=4 addr=0x813a000 len=2048 flags=0x8002
rt 577 net0 q0 publish id=4 first=4 n=1 next=5 wrap=0
rt 578 net0 q0 used slot=5 id=5 len=58 n=1 flags=0x8080 last_used=6 used_wrap=1
rt 579 net0 q0 add head=5 ndesc=1 in=2048 indirect=0 req=262
rt 580 net0 q0 pdesc slot=5 id=5 addr=0x813a800 len=2048 flags=0x8002
rt 581 net0 q0 publish id=5 first=5 n=1 next=6 wrap=0
rt 582 net0 q0 kick_prepare need=0 added=2 next=6 wrap=0 dev_flags=1 dev_off=0
rt 583 net0 q0 event on=1 drv_flags=2 drv_off=32774
rt 584 net0 q1 used slot=5 id=3 len=0 n=1 flags=0x8080 last_used=6 used_wrap=1
rt 585 net0 q1 event on=1 drv_flags=2 drv_off=32774
rt 586 blk0 q0 used slot=2 id=0 len=8193 n=1 flags=0x8080 last_used=3 used_wrap=1
rt 587 blk0 q0 event on=1 drv_flags=2 drv_off=32771
rt 588 net0 q1 add head=3 ndesc=1 in=0 indirect=0 req=7
rt 589 net0 q1 pdesc slot=6 id=3 addr=0x8236000 len=570 flags=0x80
rt 590 net0 q1 publish id=3 first=6 n=1 next=7 wrap=1
rt 591 net0 q1 kick_prepare need=1 added=1 next=7 wrap=1 dev_flags=2 dev_off=32774
rt 592 net0 q1 notify idx=7 wrap=1
rt 593 net0 q1 irq last_used=6 used_wrap=1 flags=0x8080
rt 594 net0 q1 used slot=6 id=3 len=0 n=1 flags=0x8080 last_used=7 used_wrap=1
rt 595 net0 q1 event on=1 drv_flags=2 drv_off=32775
rt 596 net0 q0 irq last_used=6 used_wrap=1 flags=0x8080
rt 597 net0 q0 used slot=6 id=6 len=58 n=1 flags=0x8080 last_used=7 used_wrap=1
rt 598 net0 q1 add head=3 ndesc=1 in=0 indirect=0 req=8
rt 599 net0 q1 pdesc slot=7 id=3 addr=0x8236000 len=570 flags=0x80
rt 600 net0 q1 publish id=3 first=7 n=1 next=8 wrap=1
rt 601 net0 q1 kick_prepare need=1 added=1 next=8 wrap=1 dev_flags=2 dev_off=32775
rt 602 net0 q1 notify idx=8 wrap=1
rt 603 net0 q0 add head=6 ndesc=1 in=2048 indirect=0 req=263
rt 604 net0 q1 irq last_used=7 used_wrap=1 flags=0x8080
rt 605 net0 q0 pdesc slot=6 id=6 addr=0x813b000 len=2048 flags=0x8002
rt 606 net0 q0 publish id=6 first=6 n=1 next=7 wrap=0
rt 607 net0 q0 used slot=7 id=7 len=58 n=1 flags=0x8080 last_used=8 used_wrap=1
rt 608 net0 q1 add head=2 ndesc=1 in=0 indirect=0 req=9
rt 609 net0 q1 pdesc slot=8 id=2 addr=0x8236800 len=570 flags=0x80
rt 610 net0 q1 publish id=2 first=8 n=1 next=9 wrap=1
rt 611 net0 q1 kick_prepare need=1 added=1 next=9 wrap=1 dev_flags=2 dev_off=32776
rt 612 net0 q1 notify idx=9 wrap=1
rt 613 net0 q0 add head=7 ndesc=1 in=2048 indirect=0 req=264
rt 614 net0 q0 pdesc slot=7 id=7 addr=0x813b800 len=2048 flags=0x8002
rt 615 net0 q0 publish id=7 first=7 n=1 next=8 wrap=0
rt 616 net0 q0 used slot=8 id=8 len=58 n=1 flags=0x8080 last_used=9 used_wrap=1
rt 617 net0 q1 add head=1 ndesc=1 in=0 indirect=0 req=10
rt 618 net0 q1 pdesc slot=9 id=1 addr=0x8237000 len=570 flags=0x80
rt 619 net0 q1 publish id=1 first=9 n=1 next=10 wrap=1
rt 620 net0 q1 kick_prepare need=1 added=1 next=10 wrap=1 dev_flags=2 dev_off=32777
rt 621 net0 q1 notify idx=10 wrap=1
rt 622 net0 q0 add head=8 ndesc=1 in=2048 indirect=0 req=265
rt 623 net0 q0 pdesc slot=8 id=8 addr=0x813c000 len=2048 flags=0x8002
rt 624 net0 q0 publish id=8 first=8 n=1 next=9 wrap=0
rt 625 net0 q0 used slot=9 id=9 len=58 n=1 flags=0x8080 last_used=10 used_wrap=1
rt 626 net0 q1 add head=0 ndesc=1 in=0 indirect=0 req=11
rt 627 net0 q1 pdesc slot=10 id=0 addr=0x8237800 len=570 flags=0x80
rt 628 net0 q1 publish id=0 first=10 n=1 next=11 wrap=1
rt 629 net0 q1 kick_prepare need=1 added=1 next=11 wrap=1 dev_flags=2 dev_off=32778
rt 630 net0 q1 notify idx=11 wrap=1
rt 631 net0 q0 add head=9 ndesc=1 in=2048 indirect=0 req=266
rt 632 net0 q0 pdesc slot=9 id=9 addr=0x813c800 len=2048 flags=0x8002
rt 633 net0 q0 publish id=9 first=9 n=1 next=10 wrap=0
rt 634 net0 q0 used slot=10 id=10 len=58 n=1 flags=0x8080 last_used=11 used_wrap=1
rt 635 net0 q1 add head=4 ndesc=1 in=0 indirect=0 req=12
rt 636 net0 q1 pdesc slot=11 id=4 addr=0x8235800 len=570 flags=0x80
rt 637 net0 q1 publish id=4 first=11 n=1 next=12 wrap=1
rt 638 net0 q1 kick_prepare need=1 added=1 next=12 wrap=1 dev_flags=2 dev_off=32779
rt 639 net0 q1 notify idx=12 wrap=1
rt 640 net0 q0 add head=10 ndesc=1 in=2048 indirect=0 req=267
rt 641 net0 q0 pdesc slot=10 id=10 addr=0x813d000 len=2048 flags=0x8002
rt 642 net0 q0 publish id=10 first=10 n=1 next=11 wrap=0
rt 643 net0 q0 used slot=11 id=11 len=58 n=1 flags=0x8080 last_used=12 used_wrap=1
rt 644 net0 q1 add head=5 ndesc=1 in=0 indirect=0 req=13
rt 645 net0 q1 pdesc slot=12 id=5 addr=0x8235000 len=570 flags=0x80
rt 646 net0 q1 publish id=5 first=12 n=1 next=13 wrap=1
rt 647 net0 q1 kick_prepare need=1 added=1 next=13 wrap=1 dev_flags=2 dev_off=32780
rt 648 net0 q1 notify idx=13 wrap=1
rt 649 net0 q0 add head=11 ndesc=1 in=2048 indirect=0 req=268
rt 650 net0 q0 pdesc slot=11 id=11 addr=0x813d800 len=2048 flags=0x8002
rt 651 net0 q0 publish id=11 first=11 n=1 next=12 wrap=0
rt 652 net0 q0 used slot=12 id=12 len=58 n=1 flags=0x8080 last_used=13 used_wrap=1
rt 653 net0 q1 add head=6 ndesc=1 in=0 indirect=0 req=14
rt 654 net0 q1 pdesc slot=13 id=6 addr=0x8234800 len=570 flags=0x80
rt 655 net0 q1 publish id=6 first=13 n=1 next=14 wrap=1
rt 656 net0 q1 kick_prepare need=1 added=1 next=14 wrap=1 dev_flags=2 dev_off=32781
rt 657 net0 q1 notify idx=14 wrap=1
rt 658 net0 q0 add head=12 ndesc=1 in=2048 indirect=0 req=269
rt 659 net0 q0 pdesc slot=12 id=12 addr=0x813e000 len=2048 flags=0x8002
rt 660 net0 q0 publish id=12 first=12 n=1 next=13 wrap=0
rt 661 net0 q0 used slot=13 id=13 len=58 n=1 flags=0x8080 last_used=14 used_wrap=1
rt 662 net0 q1 add head=7 ndesc=1 in=0 indirect=0 req=15
rt 663 net0 q1 pdesc slot=14 id=7 addr=0x8234000 len=570 flags=0x80
rt 664 net0 q1 publish id=7 first=14 n=1 next=15 wrap=1
rt 665 net0 q1 kick_prepare need=1 added=1 next=15 wrap=1 dev_flags=2 dev_off=32782
rt 666 net0 q1 notify idx=15 wrap=1
rt 667 net0 q0 add head=13 ndesc=1 in=2048 indirect=0 req=270
rt 668 net0 q0 pdesc slot=13 id=13 addr=0x813e800 len=2048 flags=0x8002
rt 669 net0 q0 publish id=13 first=13 n=1 next=14 wrap=0
rt 670 net0 q0 used slot=14 id=14 len=58 n=1 flags=0x8080 last_used=15 used_wrap=1
rt 671 net0 q1 add head=8 ndesc=1 in=0 indirect=0 req=16
rt 672 net0 q1 pdesc slot=15 id=8 addr=0x8233800 len=570 flags=0x80
rt 673 net0 q1 publish id=8 first=15 n=1 next=16 wrap=1
rt 674 net0 q1 kick_prepare need=1 added=1 next=16 wrap=1 dev_flags=2 dev_off=32783
rt 675 net0 q1 notify idx=16 wrap=1
rt 676 net0 q0 add head=14 ndesc=1 in=2048 indirect=0 req=271
rt 677 net0 q0 pdesc slot=14 id=14 addr=0x813f000 len=2048 flags=0x8002
rt 678 net0 q0 publish id=14 first=14 n=1 next=15 wrap=0
rt 679 net0 q0 used slot=15 id=15 len=58 n=1 flags=0x8080 last_used=16 used_wrap=1
rt 680 net0 q1 add head=9 ndesc=1 in=0 indirect=0 req=17
rt 681 net0 q1 pdesc slot=16 id=9 addr=0x8233000 len=570 flags=0x80
rt 682 net0 q1 publish id=9 first=16 n=1 next=17 wrap=1
rt 683 net0 q1 kick_prepare need=1 added=1 next=17 wrap=1 dev_flags=2 dev_off=32784
rt 684 net0 q1 notify idx=17 wrap=1
rt 685 net0 q0 add head=15 ndesc=1 in=2048 indirect=0 req=272
rt 686 net0 q0 pdesc slot=15 id=15 addr=0x813f800 len=2048 flags=0x8002
rt 687 net0 q0 publish id=15 first=15 n=1 next=16 wrap=0
rt 688 net0 q0 used slot=16 id=16 len=58 n=1 flags=0x8080 last_used=17 used_wrap=1
rt 689 net0 q1 add head=10 ndesc=1 in=0 indirect=0 req=18
rt 690 net0 q1 pdesc slot=17 id=10 addr=0x8232800 len=570 flags=0x80
rt 691 net0 q1 publish id=10 first=17 n=1 next=18 wrap=1
rt 692 net0 q1 kick_prepare need=1 added=1 next=18 wrap=1 dev_flags=2 dev_off=32785
rt 693 net0 q1 notify idx=18 wrap=1
rt 694 net0 q0 add head=16 ndesc=1 in=2048 indirect=0 req=273
rt 695 net0 q0 pdesc slot=16 id=16 addr=0x8140000 len=2048 flags=0x8002
rt 696 net0 q0 publish id=16 first=16 n=1 next=17 wrap=0
rt 697 net0 q0 kick_prepare need=0 added=11 next=17 wrap=0 dev_flags=1 dev_off=0
rt 698 net0 q0 event on=1 drv_flags=2 drv_off=32785
rt 699 net0 q1 used slot=7 id=3 len=0 n=1 flags=0x8080 last_used=8 used_wrap=1
rt 700 net0 q1 used slot=8 id=2 len=0 n=1 flags=0x8080 last_used=9 used_wrap=1
rt 701 net0 q1 used slot=9 id=1 len=0 n=1 flags=0x8080 last_used=10 used_wrap=1
rt 702 net0 q1 used slot=10 id=0 len=0 n=1 flags=0x8080 last_used=11 used_wrap=1
rt 703 net0 q1 used slot=11 id=4 len=0 n=1 flags=0x8080 last_used=12 used_wrap=1
rt 704 net0 q1 used slot=12 id=5 len=0 n=1 flags=0x8080 last_used=13 used_wrap=1
rt 705 net0 q1 used slot=13 id=6 len=0 n=1 flags=0x8080 last_used=14 used_wrap=1
rt 706 net0 q1 used slot=14 id=7 len=0 n=1 flags=0x8080 last_used=15 used_wrap=1
rt 707 net0 q1 used slot=15 id=8 len=0 n=1 flags=0x8080 last_used=16 used_wrap=1
rt 708 net0 q1 used slot=16 id=9 len=0 n=1 flags=0x8080 last_used=17 used_wrap=1
rt 709 net0 q0 irq last_used=17 used_wrap=1 flags=0x8080
rt 710 net0 q1 used slot=17 id=10 len=0 n=1 flags=0x8080 last_used=18 used_wrap=1
rt 711 net0 q1 event on=1 drv_flags=2 drv_off=32786
rt 712 net0 q0 used slot=17 id=17 len=58 n=1 flags=0x8080 last_used=18 used_wrap=1
rt 713 net0 q1 add head=10 ndesc=1 in=0 indirect=0 req=19
rt 714 net0 q1 pdesc slot=18 id=10 addr=0x8232800 len=570 flags=0x80
rt 715 net0 q1 publish id=10 first=18 n=1 next=19 wrap=1
rt 716 net0 q1 kick_prepare need=1 added=1 next=19 wrap=1 dev_flags=2 dev_off=32786
rt 717 net0 q1 notify idx=19 wrap=1
rt 718 net0 q0 add head=17 ndesc=1 in=2048 indirect=0 req=274
rt 719 net0 q1 irq last_used=18 used_wrap=1 flags=0x8080
rt 720 net0 q0 pdesc slot=17 id=17 addr=0x8140800 len=2048 flags=0x8002
rt 721 net0 q0 publish id=17 first=17 n=1 next=18 wrap=0
rt 722 net0 q0 used slot=18 id=18 len=58 n=1 flags=0x8080 last_used=19 used_wrap=1
rt 723 net0 q1 add head=9 ndesc=1 in=0 indirect=0 req=20
rt 724 net0 q1 pdesc slot=19 id=9 addr=0x8233000 len=570 flags=0x80
rt 725 net0 q1 publish id=9 first=19 n=1 next=20 wrap=1
rt 726 net0 q1 kick_prepare need=1 added=1 next=20 wrap=1 dev_flags=2 dev_off=32787
rt 727 net0 q1 notify idx=20 wrap=1
rt 728 net0 q0 add head=18 ndesc=1 in=2048 indirect=0 req=275
rt 729 net0 q0 pdesc slot=18 id=18 addr=0x8141000 len=2048 flags=0x8002
rt 730 net0 q0 publish id=18 first=18 n=1 next=19 wrap=0
rt 731 net0 q0 used slot=19 id=19 len=58 n=1 flags=0x8080 last_used=20 used_wrap=1
rt 732 net0 q1 add head=8 ndesc=1 in=0 indirect=0 req=21
rt 733 net0 q1 pdesc slot=20 id=8 addr=0x8233800 len=570 flags=0x80
rt 734 net0 q1 publish id=8 first=20 n=1 next=21 wrap=1
rt 735 net0 q1 kick_prepare need=1 added=1 next=21 wrap=1 dev_flags=2 dev_off=32788
rt 736 net0 q1 notify idx=21 wrap=1
rt 737 net0 q0 add head=19 ndesc=1 in=2048 indirect=0 req=276
rt 738 net0 q0 pdesc slot=19 id=19 addr=0x8141800 len=2048 flags=0x8002
rt 739 net0 q0 publish id=19 first=19 n=1 next=20 wrap=0
rt 740 net0 q0 used slot=20 id=20 len=58 n=1 flags=0x8080 last_used=21 used_wrap=1
rt 741 net0 q1 add head=7 ndesc=1 in=0 indirect=0 req=22
rt 742 net0 q1 pdesc slot=21 id=7 addr=0x8234000 len=570 flags=0x80
rt 743 net0 q1 publish id=7 first=21 n=1 next=22 wrap=1
rt 744 net0 q1 kick_prepare need=1 added=1 next=22 wrap=1 dev_flags=2 dev_off=32789
rt 745 net0 q1 notify idx=22 wrap=1
rt 746 net0 q0 add head=20 ndesc=1 in=2048 indirect=0 req=277
rt 747 net0 q0 pdesc slot=20 id=20 addr=0x8142000 len=2048 flags=0x8002
rt 748 net0 q0 publish id=20 first=20 n=1 next=21 wrap=0
rt 749 net0 q0 used slot=21 id=21 len=58 n=1 flags=0x8080 last_used=22 used_wrap=1
rt 750 net0 q1 add head=6 ndesc=1 in=0 indirect=0 req=23
rt 751 net0 q1 pdesc slot=22 id=6 addr=0x8234800 len=58 flags=0x80
rt 752 net0 q1 publish id=6 first=22 n=1 next=23 wrap=1
rt 753 net0 q1 kick_prepare need=1 added=1 next=23 wrap=1 dev_flags=2 dev_off=32790
rt 754 net0 q1 notify idx=23 wrap=1
rt 755 net0 q0 add head=21 ndesc=1 in=2048 indirect=0 req=278
rt 756 net0 q0 pdesc slot=21 id=21 addr=0x8142800 len=2048 flags=0x8002
rt 757 net0 q0 publish id=21 first=21 n=1 next=22 wrap=0
rt 758 net0 q0 kick_prepare need=0 added=5 next=22 wrap=0 dev_flags=1 dev_off=0
rt 759 net0 q0 event on=1 drv_flags=2 drv_off=32790
rt 760 net0 q1 used slot=18 id=10 len=0 n=1 flags=0x8080 last_used=19 used_wrap=1
rt 761 net0 q1 used slot=19 id=9 len=0 n=1 flags=0x8080 last_used=20 used_wrap=1
rt 762 net0 q1 used slot=20 id=8 len=0 n=1 flags=0x8080 last_used=21 used_wrap=1
rt 763 net0 q1 used slot=21 id=7 len=0 n=1 flags=0x8080 last_used=22 used_wrap=1
rt 764 net0 q1 used slot=22 id=6 len=0 n=1 flags=0x8080 last_used=23 used_wrap=1
rt 765 net0 q1 event on=1 drv_flags=2 drv_off=32791
rt 766 net0 q0 irq last_used=22 used_wrap=1 flags=0x8080
rt 767 net0 q0 used slot=22 id=22 len=58 n=1 flags=0x8080 last_used=23 used_wrap=1
rt 768 net0 q0 add head=22 ndesc=1 in=2048 indirect=0 req=279
rt 769 net0 q0 pdesc slot=22 id=22 addr=0x8143000 len=2048 flags=0x8002
rt 770 net0 q0 publish id=22 first=22 n=1 next=23 wrap=0
rt 771 net0 q0 kick_prepare need=0 added=1 next=23 wrap=0 dev_flags=1 dev_off=0
rt 772 net0 q0 event on=1 drv_flags=2 drv_off=32791
rt 773 - - stop
`});
