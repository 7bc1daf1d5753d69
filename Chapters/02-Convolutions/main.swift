import SiameseKit
print("Chapter 02 is being written.")
